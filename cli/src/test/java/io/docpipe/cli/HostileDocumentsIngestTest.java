package io.docpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The `docpipe` command in its own JVM with a 256 MB heap over documents that are small on disk but
 * huge once a library builds them in memory (ADR 0016): a one-page PDF of 4,000,000 glyphs (4 MB),
 * a 32 MiB HTML page, a DOCX whose XML is ~40 MB (under the expansion limit, over the XML tree
 * budget) and one whose XML is ~100 MB. Each fails {@code too_large}, the text file after them is
 * indexed, and the run ends with the documented exit code — no OutOfMemoryError. The files are
 * generated here in a few seconds; nothing hostile is committed.
 */
class HostileDocumentsIngestTest {

  @TempDir Path work;

  @Test
  void hugePdfPageHtmlAndDocxs_failTooLarge_withA256MbHeap_andTheNextFileIsIndexed()
      throws Exception {
    Path corpus = Files.createDirectories(work.resolve("corpus"));
    Files.write(corpus.resolve("a-page.pdf"), onePagePdf(4_000_000));
    writeHtml(corpus.resolve("b-page.html"), 32L * 1024 * 1024);
    Files.write(corpus.resolve("c-report.docx"), docx(40L * 1024 * 1024));
    Files.write(corpus.resolve("c2-report.docx"), docx(100L * 1024 * 1024));
    Files.writeString(corpus.resolve("d-next.txt"), "A small note about the coffee machine.\n");

    SmallHeapIngest child =
        SmallHeapIngest.run(work, corpus, 180, "hostile-documents-child-output.log");

    assertThat(child.exitValue())
        .as("stdout: %s%nstderr: %s", child.out(), child.err())
        .isEqualTo(DocpipeCli.SOME_DOCUMENTS_FAILED);
    assertThat(child.out())
        .contains("5 documents: 1 indexed, 0 unchanged, 4 failed")
        .contains("failed  a-page.pdf: too_large (page 1 shows more than 100000 glyphs")
        .contains("failed  b-page.html: too_large (HTML page is")
        .contains("failed  c-report.docx: too_large (the document's XML passes")
        .contains("failed  c2-report.docx: too_large");
  }

  /** A one-page PDF written by hand: Helvetica, one text object of {@code glyphs} letters. */
  static byte[] onePagePdf(int glyphs) throws IOException {
    ByteArrayOutputStream pdf = new ByteArrayOutputStream(glyphs + 2048);
    List<Integer> offsets = new ArrayList<>();
    ascii(pdf, "%PDF-1.4\n");
    String[] objects = {
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792]"
          + " /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    };
    for (int i = 0; i < objects.length; i++) {
      offsets.add(pdf.size());
      ascii(pdf, (i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n");
    }
    byte[] text = new byte[glyphs];
    for (int i = 0; i < glyphs; i++) {
      text[i] = (byte) ('a' + i % 26);
    }
    String head = "BT /F1 1 Tf 10 10 Td (";
    String tail = ") Tj ET\n";
    offsets.add(pdf.size());
    ascii(pdf, "5 0 obj\n<< /Length " + (head.length() + glyphs + tail.length()) + " >>\nstream\n");
    ascii(pdf, head);
    pdf.write(text);
    ascii(pdf, tail + "endstream\nendobj\n");
    int xref = pdf.size();
    ascii(pdf, "xref\n0 6\n0000000000 65535 f \n");
    for (int offset : offsets) {
      ascii(pdf, String.format("%010d 00000 n \n", offset));
    }
    ascii(pdf, "trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n" + xref + "\n%%EOF\n");
    return pdf.toByteArray();
  }

  /** Ordinary paragraphs up to {@code bytes} of HTML. */
  private static void writeHtml(Path file, long bytes) throws IOException {
    byte[] paragraph =
        "<p>The quick brown fox jumps over the lazy dog; docpipe must not run out of memory.</p>\n"
            .getBytes(StandardCharsets.US_ASCII);
    byte[] block = new byte[1 << 20];
    for (int i = 0; i < block.length; i++) {
      block[i] = paragraph[i % paragraph.length];
    }
    try (OutputStream out = Files.newOutputStream(file)) {
      ascii(out, "<!DOCTYPE html><html><head><title>big</title></head><body>\n");
      for (long left = bytes; left > 0; left -= block.length) {
        out.write(block, 0, (int) Math.min(block.length, left));
      }
    }
  }

  /**
   * A minimal DOCX whose word/document.xml is about {@code xmlBytes} of paragraphs of varied words
   * (about 3:1 compressed, under every ratio and expansion limit of the zip guard).
   */
  static byte[] docx(long xmlBytes) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Random random = new Random(17);
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.setLevel(1);
      zip.putNextEntry(new ZipEntry("[Content_Types].xml"));
      ascii(
          zip,
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types"
              + " xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
              + "<Default Extension=\"rels\""
              + " ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
              + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
              + "<Override PartName=\"/word/document.xml\" ContentType=\"application/"
              + "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>");
      zip.putNextEntry(new ZipEntry("_rels/.rels"));
      ascii(
          zip,
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships"
              + " xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
              + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/"
              + "officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>"
              + "</Relationships>");
      zip.putNextEntry(new ZipEntry("word/document.xml"));
      ascii(
          zip,
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document xmlns:w="
              + "\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>");
      byte[] paragraph = new byte[256];
      long written = 0;
      while (written < xmlBytes) {
        int n = 0;
        for (byte b : "<w:p><w:r><w:t>".getBytes(StandardCharsets.US_ASCII)) {
          paragraph[n++] = b;
        }
        for (int w = 0; w < 16; w++) {
          int length = 3 + random.nextInt(8);
          for (int c = 0; c < length; c++) {
            paragraph[n++] = (byte) ('a' + random.nextInt(26));
          }
          paragraph[n++] = ' ';
        }
        for (byte b : "</w:t></w:r></w:p>".getBytes(StandardCharsets.US_ASCII)) {
          paragraph[n++] = b;
        }
        zip.write(paragraph, 0, n);
        written += n;
      }
      ascii(zip, "</w:body></w:document>");
      zip.closeEntry();
    }
    return bytes.toByteArray();
  }

  private static void ascii(OutputStream out, String s) throws IOException {
    out.write(s.getBytes(StandardCharsets.US_ASCII));
  }
}
