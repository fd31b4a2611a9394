package io.docpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PDF, DOCX and zip files in a directory go through the real wiring into a searchable index. */
class DocumentFormatsCliTest {

  @TempDir Path work;

  @Test
  void pdfDocxAndZipFiles_areIndexed_andFoundBySearch() throws IOException {
    Path corpus = Files.createDirectories(work.resolve("corpus"));
    Files.write(corpus.resolve("keys.pdf"), pdf("Rotate every API key after ninety days."));
    Files.write(corpus.resolve("backups.docx"), docx("Nightly backups restore a dropped table."));
    try (OutputStream out = Files.newOutputStream(corpus.resolve("notes.zip"));
        ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry("coffee.txt"));
      zip.write(
          "The coffee machine is descaled on Fridays."
              .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      zip.closeEntry();
    }
    String index = work.resolve("index").toString();

    String[] ingest = run("ingest", "--index", index, corpus.toString());
    assertThat(ingest[0]).as(ingest[1]).isEqualTo("0");
    assertThat(ingest[1]).contains("3 documents: 3 indexed, 0 unchanged, 0 failed");

    assertThat(run("search", "--index", index, "how do I restore a table", "-k", "1")[1])
        .contains("backups.docx");
    assertThat(run("search", "--index", index, "API key rotation", "-k", "1")[1])
        .contains("keys.pdf");
    assertThat(run("search", "--index", index, "descaling the coffee machine", "-k", "1")[1])
        .contains("notes.zip");
  }

  /** Exit code and standard output (with standard error appended). */
  private static String[] run(String... args) {
    DocpipeCliTest.Run run = DocpipeCliTest.docpipe(args);
    return new String[] {Integer.toString(run.exit()), run.out() + "\n" + run.err()};
  }

  private static byte[] pdf(String line) throws IOException {
    try (PDDocument pdf = new PDDocument()) {
      PDPage page = new PDPage();
      pdf.addPage(page);
      try (PDPageContentStream content = new PDPageContentStream(pdf, page)) {
        content.beginText();
        content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
        content.newLineAtOffset(50, 700);
        content.showText(line);
        content.endText();
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      pdf.save(out);
      return out.toByteArray();
    }
  }

  private static byte[] docx(String paragraph) throws IOException {
    try (XWPFDocument doc = new XWPFDocument()) {
      doc.createParagraph().createRun().setText(paragraph);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      doc.write(out);
      return out.toByteArray();
    }
  }
}
