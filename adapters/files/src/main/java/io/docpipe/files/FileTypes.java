package io.docpipe.files;

import io.docpipe.core.model.MediaTypes;
import java.text.Normalizer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** File names as docpipe sees them: extension, media type, NFC form, metadata. */
final class FileTypes {

  static final String PATH_KEY = "path";
  static final String EXT_KEY = "ext";

  private FileTypes() {}

  /** The lower-case extension of {@code fileName} ({@code "MD"} in {@code a.MD} is {@code md}). */
  static @Nullable String extension(String fileName) {
    int dot = fileName.lastIndexOf('.');
    if (dot <= 0 || dot == fileName.length() - 1) {
      return null;
    }
    return fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  /** The media type docpipe gives a file with this extension ({@code null}: no extension). */
  static String mediaType(@Nullable String extension) {
    if (extension == null) {
      return MediaTypes.TEXT_PLAIN;
    }
    return switch (extension) {
      case "txt", "text", "log" -> MediaTypes.TEXT_PLAIN;
      case "md", "markdown" -> MediaTypes.MARKDOWN;
      case "html", "htm" -> MediaTypes.HTML;
      // Extracted by the documents adapter when wiring includes it.
      case "pdf" -> "application/pdf";
      case "docx" -> "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
      case "pptx" -> "application/vnd.openxmlformats-officedocument.presentationml.presentation";
      case "xlsx" -> "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
      case "zip" -> "application/zip";
      default -> MediaTypes.OCTET_STREAM;
    };
  }

  static String nfc(String s) {
    return Normalizer.isNormalized(s, Normalizer.Form.NFC)
        ? s
        : Normalizer.normalize(s, Normalizer.Form.NFC);
  }

  /** The metadata a file contributes: its relative path and, if it has one, its extension. */
  static Map<String, String> metadata(String relativePath) {
    Map<String, String> metadata = new HashMap<>();
    metadata.put(PATH_KEY, relativePath);
    String ext = extension(fileName(relativePath));
    if (ext != null) {
      metadata.put(EXT_KEY, ext);
    }
    return metadata;
  }

  static String fileName(String relativePath) {
    return relativePath.substring(relativePath.lastIndexOf('/') + 1);
  }
}
