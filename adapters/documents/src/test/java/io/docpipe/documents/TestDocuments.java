package io.docpipe.documents;

import io.docpipe.core.model.Content;
import io.docpipe.core.model.Document;
import io.docpipe.core.model.DocumentId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.poi.sl.usermodel.SlideShow;
import org.apache.poi.sl.usermodel.TextBox;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.xslf.usermodel.XMLSlideShow;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.poi.xwpf.usermodel.XWPFDocument;

/** Documents made in the test, so no binary fixture is checked in: real files, hostile or not. */
public final class TestDocuments {

  private TestDocuments() {}

  static Document aDocument(String mediaType, byte[] bytes) {
    return new Document(
        DocumentId.of("test"), URI.create("file:///test"), mediaType, Map.of(), Content.of(bytes));
  }

  /** A PDF with one page per string, each drawn as lines of Helvetica. */
  public static byte[] pdf(String... pages) {
    try (PDDocument pdf = new PDDocument()) {
      for (String page : pages) {
        PDPage p = new PDPage();
        pdf.addPage(p);
        try (PDPageContentStream content = new PDPageContentStream(pdf, p)) {
          content.beginText();
          content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 11);
          content.setLeading(14);
          content.newLineAtOffset(50, 740);
          for (String line : page.split("\n")) {
            content.showText(line);
            content.newLine();
          }
          content.endText();
        }
      }
      return save(pdf);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A PDF whose only user password is {@code secret}. */
  static byte[] encryptedPdf(String text) {
    try (PDDocument pdf = org.apache.pdfbox.Loader.loadPDF(pdf(text))) {
      StandardProtectionPolicy policy =
          new StandardProtectionPolicy("owner", "secret", new AccessPermission());
      policy.setEncryptionKeyLength(128);
      pdf.protect(policy);
      return save(pdf);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A one-page PDF whose content stream is {@code inflatedBytes} spaces compressed with
   * FlateDecode: a few kilobytes on disk, as large as asked once PDFBox decodes it.
   */
  static byte[] pdfWithStreamBomb(long inflatedBytes) {
    try (PDDocument pdf = new PDDocument()) {
      PDPage page = new PDPage();
      pdf.addPage(page);
      COSStream stream = pdf.getDocument().createCOSStream();
      try (OutputStream raw = stream.createRawOutputStream()) {
        raw.write(deflate(inflatedBytes, (byte) ' '));
      }
      stream.setItem(COSName.FILTER, COSName.FLATE_DECODE);
      page.setContents(new PDStream(stream));
      return save(pdf);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A one-page PDF whose content stream (uncompressed) is {@code content}, with Helvetica as font
   * {@code /F1}: for pages of very many glyphs or operators.
   */
  public static byte[] pdfWithContent(byte[] content) {
    try (PDDocument pdf = new PDDocument()) {
      PDPage page = new PDPage();
      pdf.addPage(page);
      org.apache.pdfbox.pdmodel.PDResources resources = new org.apache.pdfbox.pdmodel.PDResources();
      resources.put(COSName.getPDFName("F1"), new PDType1Font(Standard14Fonts.FontName.HELVETICA));
      page.setResources(resources);
      COSStream stream = pdf.getDocument().createCOSStream();
      try (OutputStream raw = stream.createRawOutputStream()) {
        raw.write(content);
      }
      page.setContents(new PDStream(stream));
      return save(pdf);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A content stream showing {@code glyphs} letters in one text object, 1-point Helvetica. */
  public static byte[] manyGlyphs(int glyphs) {
    byte[] head = "BT /F1 1 Tf 10 10 Td (".getBytes(StandardCharsets.US_ASCII);
    byte[] tail = ") Tj ET\n".getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[head.length + glyphs + tail.length];
    System.arraycopy(head, 0, out, 0, head.length);
    for (int i = 0; i < glyphs; i++) {
      out[head.length + i] = (byte) ('a' + i % 26);
    }
    System.arraycopy(tail, 0, out, head.length + glyphs, tail.length);
    return out;
  }

  /**
   * A DOCX whose word/document.xml holds {@code paragraphs} paragraphs of varied words (compresses
   * about 4:1, so no ratio check stops it): XML many times the tree budget, written fast.
   */
  static byte[] docxOfManyParagraphs(int paragraphs) {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    java.util.Random random = new java.util.Random(17);
    try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
      zip.setLevel(1);
      entry(
          zip,
          "[Content_Types].xml",
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types"
              + " xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default"
              + " Extension=\"rels\""
              + " ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default"
              + " Extension=\"xml\" ContentType=\"application/xml\"/><Override"
              + " PartName=\"/word/document.xml\""
              + " ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>");
      entry(
          zip,
          "_rels/.rels",
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships"
              + " xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship"
              + " Id=\"rId1\""
              + " Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\""
              + " Target=\"word/document.xml\"/></Relationships>");
      zip.putNextEntry(new java.util.zip.ZipEntry("word/document.xml"));
      zip.write(
          ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document"
                  + " xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>")
              .getBytes(StandardCharsets.UTF_8));
      StringBuilder p = new StringBuilder();
      for (int i = 0; i < paragraphs; i++) {
        p.setLength(0);
        p.append("<w:p><w:r><w:t>");
        for (int w = 0; w < 12; w++) {
          int len = 3 + random.nextInt(8);
          for (int c = 0; c < len; c++) {
            p.append((char) ('a' + random.nextInt(26)));
          }
          p.append(' ');
        }
        p.append("</w:t></w:r></w:p>");
        zip.write(p.toString().getBytes(StandardCharsets.US_ASCII));
      }
      zip.write("</w:body></w:document>".getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static void entry(java.util.zip.ZipOutputStream zip, String name, String text)
      throws IOException {
    zip.putNextEntry(new java.util.zip.ZipEntry(name));
    zip.write(text.getBytes(StandardCharsets.UTF_8));
    zip.closeEntry();
  }

  private static byte[] save(PDDocument pdf) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    pdf.save(out);
    return out.toByteArray();
  }

  /** A DOCX with one paragraph per string. */
  public static byte[] docx(String... paragraphs) {
    try (XWPFDocument doc = new XWPFDocument()) {
      for (String p : paragraphs) {
        doc.createParagraph().createRun().setText(p);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      doc.write(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A PPTX with one text box per slide. */
  public static byte[] pptx(String... slides) {
    return slideShow(new XMLSlideShow(), slides);
  }

  /** One text box per slide, in whichever format {@code show} writes (PPTX, PPT). */
  public static byte[] slideShow(SlideShow<?, ?> show, String... slides) {
    try (show) {
      for (String s : slides) {
        TextBox<?, ?> box = show.createSlide().createTextBox();
        box.setAnchor(new java.awt.Rectangle(50, 50, 400, 100));
        box.setText(s);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      show.write(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An XLSX with one sheet whose rows are the given cells. */
  public static byte[] xlsx(List<List<String>> rows) {
    return workbook(new XSSFWorkbook(), rows);
  }

  /** One sheet "data" of these rows, in whichever format {@code book} writes (XLSX, XLS). */
  public static byte[] workbook(Workbook book, List<List<String>> rows) {
    try (book) {
      Sheet sheet = book.createSheet("data");
      for (int r = 0; r < rows.size(); r++) {
        Row row = sheet.createRow(r);
        for (int c = 0; c < rows.get(r).size(); c++) {
          row.createCell(c).setCellValue(rows.get(r).get(c));
        }
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      book.write(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The entries of a zip, in order. */
  static Map<String, byte[]> unzip(byte[] zip) {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
      ZipEntry e;
      while ((e = in.getNextEntry()) != null) {
        entries.put(e.getName(), in.readAllBytes());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return entries;
  }

  public static byte[] zip(Map<String, byte[]> entries) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue());
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** {@code zip} with one entry's bytes changed as text. */
  static byte[] rewrite(byte[] zip, String entry, UnaryOperator<String> change) {
    Map<String, byte[]> entries = unzip(zip);
    String xml = new String(entries.get(entry), StandardCharsets.UTF_8);
    String changed = change.apply(xml);
    if (changed.equals(xml)) {
      throw new IllegalArgumentException("the change did not apply to " + entry);
    }
    entries.put(entry, changed.getBytes(StandardCharsets.UTF_8));
    return zip(entries);
  }

  /**
   * A zip with one entry of {@code inflatedBytes} zeros, deflated at the best ratio: a zip bomb (1
   * GiB is about 1 MiB here).
   */
  static byte[] zipBomb(String entryName, long inflatedBytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.setLevel(Deflater.BEST_COMPRESSION);
      zip.putNextEntry(new ZipEntry(entryName));
      writeRepeated(zip, inflatedBytes, (byte) 0);
      zip.closeEntry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** {@code zip}'s entries plus one entry of {@code inflatedBytes} zeros at the best ratio. */
  static byte[] withBombEntry(byte[] zip, String name, long inflatedBytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> e : unzip(zip).entrySet()) {
        z.putNextEntry(new ZipEntry(e.getKey()));
        z.write(e.getValue());
        z.closeEntry();
      }
      z.setLevel(Deflater.BEST_COMPRESSION);
      z.putNextEntry(new ZipEntry(name));
      writeRepeated(z, inflatedBytes, (byte) 0);
      z.closeEntry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** {@code zip} plus an extra entry. */
  static byte[] withEntry(byte[] zip, String name, byte[] bytes) {
    Map<String, byte[]> entries = unzip(zip);
    entries.put(name, bytes);
    return zip(entries);
  }

  static byte[] deflate(long inflatedBytes, byte value) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DeflaterOutputStream deflater =
        new DeflaterOutputStream(out, new Deflater(Deflater.BEST_COMPRESSION))) {
      writeRepeated(deflater, inflatedBytes, value);
    }
    return out.toByteArray();
  }

  private static void writeRepeated(OutputStream out, long count, byte value) throws IOException {
    byte[] block = new byte[1 << 20];
    java.util.Arrays.fill(block, value);
    for (long left = count; left > 0; left -= block.length) {
      out.write(block, 0, (int) Math.min(block.length, left));
    }
  }

  static String read(InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }
}
