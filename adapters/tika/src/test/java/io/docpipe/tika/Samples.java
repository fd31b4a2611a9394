package io.docpipe.tika;

import io.docpipe.core.model.Content;
import io.docpipe.core.model.Document;
import io.docpipe.core.model.DocumentId;
import io.docpipe.documents.TestDocuments;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.poi.hslf.usermodel.HSLFSlideShow;
import org.apache.poi.hssf.usermodel.HSSFWorkbook;
import org.apache.poi.poifs.filesystem.DirectoryEntry;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;

/**
 * Documents made in the test (no binary fixture checked in), each holding a known sentence: the
 * formats both extractors read, the ones only Tika reads, and hostile ones.
 */
final class Samples {

  static final String SENTENCE = "The doc-builder sidecar extracts quarterly revenue tables.";
  static final String SECOND = "Hostile documents restart the parser, not the container.";

  static final String PDF = "application/pdf";
  static final String DOCX =
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
  static final String PPTX =
      "application/vnd.openxmlformats-officedocument.presentationml.presentation";
  static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  static final String HTML = "text/html";
  static final String ZIP = "application/zip";
  static final String OCTET = "application/octet-stream";

  private Samples() {}

  static Document document(String id, String mediaType, byte[] bytes) {
    return new Document(
        DocumentId.of(id), URI.create("file:///" + id), mediaType, Map.of(), Content.of(bytes));
  }

  static byte[] pdf(String... lines) {
    return TestDocuments.pdf(String.join("\n", lines)); // one page, a line each
  }

  /** {@code pages} pages of 40 lines each: a PDF that takes Tika a second or more. */
  static byte[] longPdf(int pages, String line) {
    String[] text = new String[pages];
    for (int p = 0; p < pages; p++) {
      StringBuilder page = new StringBuilder();
      for (int l = 0; l < 40; l++) {
        page.append("Page ").append(p).append(" line ").append(l).append(": ").append(line);
        page.append('\n');
      }
      text[p] = page.toString();
    }
    return TestDocuments.pdf(text);
  }

  /** One page showing {@code glyphs} letters in 1-point Helvetica: PDFBox keeps each in memory. */
  static byte[] pdfOfManyGlyphs(int glyphs) {
    return TestDocuments.pdfWithContent(TestDocuments.manyGlyphs(glyphs));
  }

  /** One HTML page of {@code bytes} bytes: paragraphs of words, no end in sight for a tree. */
  static byte[] hugeHtml(int bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes + 64);
    out.writeBytes("<html><body>".getBytes(StandardCharsets.US_ASCII));
    byte[] paragraph =
        "<p>lorem ipsum dolor sit amet consectetur adipiscing elit</p>\n"
            .getBytes(StandardCharsets.US_ASCII);
    while (out.size() < bytes) {
      out.writeBytes(paragraph);
    }
    out.writeBytes("</body></html>".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  static byte[] html(String title, String... paragraphs) {
    StringBuilder html =
        new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>")
            .append(title)
            .append("</title></head><body>");
    for (String p : paragraphs) {
      html.append("<p>").append(p).append("</p>");
    }
    return html.append("</body></html>").toString().getBytes(StandardCharsets.UTF_8);
  }

  static byte[] docx(String... paragraphs) {
    return TestDocuments.docx(paragraphs);
  }

  static byte[] pptx(String... slides) {
    return TestDocuments.pptx(slides);
  }

  static byte[] xlsx(List<List<String>> rows) {
    return TestDocuments.xlsx(rows);
  }

  /** Legacy Excel 97-2003 (.xls, OLE2). */
  static byte[] xls(List<List<String>> rows) {
    return TestDocuments.workbook(new HSSFWorkbook(), rows);
  }

  /** Legacy PowerPoint 97-2003 (.ppt, OLE2). */
  static byte[] ppt(String... slides) {
    return TestDocuments.slideShow(new HSLFSlideShow(), slides);
  }

  /**
   * An Outlook message (.msg, [MS-OXMSG]): an OLE2 compound file as Outlook writes one, made with
   * POI's POIFS since POI's HSMF only reads them. The root holds the named-property mapping storage
   * (empty), the message's property stream and one stream per string property (UTF-16LE, no
   * terminator); no recipients or attachments.
   */
  static byte[] msg(String senderName, String senderEmail, String subject, String body) {
    Map<Integer, String> strings = new LinkedHashMap<>();
    strings.put(0x001A, "IPM.Note"); // PidTagMessageClass
    strings.put(0x0037, subject); // PidTagSubject
    strings.put(0x0C1A, senderName); // PidTagSenderName
    strings.put(0x0C1F, senderEmail); // PidTagSenderEmailAddress
    strings.put(0x1000, body); // PidTagBody
    int unicode = 0x001F; // PtypString
    int readWrite = 0x2 | 0x4; // PROPATTR_READABLE | PROPATTR_WRITABLE
    // Top-level header: 8 reserved, next recipient id, next attachment id, recipient count,
    // attachment count, 8 reserved; then one 16-byte entry a property (tag, flags, value).
    ByteBuffer properties =
        ByteBuffer.allocate(32 + 16 * (strings.size() + 1)).order(ByteOrder.LITTLE_ENDIAN);
    properties.position(32);
    properties.putInt(0x0E07_0003).putInt(readWrite).putLong(0x1); // PidTagMessageFlags: read
    try (POIFSFileSystem fs = new POIFSFileSystem()) {
      DirectoryEntry nameId = fs.getRoot().createDirectory("__nameid_version1.0");
      for (String stream : List.of("00020102", "00030102", "00040102")) { // GUID, entry, string
        nameId.createDocument("__substg1.0_" + stream, new ByteArrayInputStream(new byte[0]));
      }
      for (var e : strings.entrySet()) {
        int tag = e.getKey() << 16 | unicode;
        byte[] value = e.getValue().getBytes(StandardCharsets.UTF_16LE);
        // A variable-length value's entry holds its size: the stream's bytes + the terminator.
        properties.putInt(tag).putInt(readWrite).putInt(value.length + 2).putInt(0);
        fs.getRoot()
            .createDocument("__substg1.0_%08X".formatted(tag), new ByteArrayInputStream(value));
      }
      fs.getRoot()
          .createDocument("__properties_version1.0", new ByteArrayInputStream(properties.array()));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      fs.writeFilesystem(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An OpenDocument text (.odt): a zip whose first entry is the stored media type. */
  static byte[] odt(String... paragraphs) {
    StringBuilder body = new StringBuilder();
    for (String p : paragraphs) {
      body.append("<text:p>").append(p).append("</text:p>");
    }
    String content =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content"
            + " xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\""
            + " xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\""
            + " office:version=\"1.2\"><office:body><office:text>"
            + body
            + "</office:text></office:body></office:document-content>";
    String manifest =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><manifest:manifest"
            + " xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\""
            + " manifest:version=\"1.2\"><manifest:file-entry manifest:full-path=\"/\""
            + " manifest:media-type=\"application/vnd.oasis.opendocument.text\"/>"
            + "<manifest:file-entry manifest:full-path=\"content.xml\""
            + " manifest:media-type=\"text/xml\"/></manifest:manifest>";
    return packageZip(
        "mimetype",
        "application/vnd.oasis.opendocument.text",
        Map.of("content.xml", content, "META-INF/manifest.xml", manifest));
  }

  /** An EPUB 2 book of one chapter. */
  static byte[] epub(String... paragraphs) {
    StringBuilder body = new StringBuilder();
    for (String p : paragraphs) {
      body.append("<p>").append(p).append("</p>");
    }
    String container =
        "<?xml version=\"1.0\"?><container version=\"1.0\""
            + " xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\"><rootfiles><rootfile"
            + " full-path=\"content.opf\" media-type=\"application/oebps-package+xml\"/>"
            + "</rootfiles></container>";
    String opf =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><package xmlns=\"http://www.idpf.org/2007/opf\""
            + " version=\"2.0\" unique-identifier=\"id\"><metadata"
            + " xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>Sample</dc:title>"
            + "<dc:identifier id=\"id\">docpipe-sample</dc:identifier><dc:language>en</dc:language>"
            + "</metadata><manifest><item id=\"c1\" href=\"chapter.xhtml\""
            + " media-type=\"application/xhtml+xml\"/></manifest><spine><itemref idref=\"c1\"/>"
            + "</spine></package>";
    String chapter =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><html xmlns=\"http://www.w3.org/1999/xhtml\">"
            + "<head><title>Chapter</title></head><body>"
            + body
            + "</body></html>";
    return packageZip(
        "mimetype",
        "application/epub+zip",
        Map.of("META-INF/container.xml", container, "content.opf", opf, "chapter.xhtml", chapter));
  }

  static byte[] zip(Map<String, byte[]> entries) {
    return TestDocuments.zip(new java.util.TreeMap<>(entries));
  }

  /** A zip of one text entry that inflates to {@code inflatedBytes} of the letter a (1000:1). */
  static byte[] zipBomb(long inflatedBytes) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.setLevel(9);
      zip.putNextEntry(new ZipEntry("zeros.txt"));
      byte[] block = new byte[1 << 16];
      java.util.Arrays.fill(block, (byte) 'a');
      for (long written = 0; written < inflatedBytes; written += block.length) {
        zip.write(block);
      }
      zip.closeEntry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** A zip package (ODF, EPUB) whose first entry is an uncompressed media type. */
  private static byte[] packageZip(String typeEntry, String type, Map<String, String> entries) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
      ZipEntry first = new ZipEntry(typeEntry);
      first.setMethod(ZipEntry.STORED);
      first.setSize(typeBytes.length);
      CRC32 crc = new CRC32();
      crc.update(typeBytes);
      first.setCrc(crc.getValue());
      zip.putNextEntry(first);
      zip.write(typeBytes);
      zip.closeEntry();
      for (var e : new java.util.TreeMap<>(entries).entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
