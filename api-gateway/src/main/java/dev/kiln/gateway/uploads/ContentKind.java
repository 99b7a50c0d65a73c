package dev.kiln.gateway.uploads;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What an upload's bytes are, as far as its first bytes tell. Images, documents and archives have
 * signatures; {@link #TEXT} is anything without NUL or other control bytes.
 */
public enum ContentKind {
  PNG("image/png", true),
  JPEG("image/jpeg", true),
  GIF("image/gif", true),
  WEBP("image/webp", true),
  TIFF("image/tiff", true),
  PDF("application/pdf", false),
  ZIP("application/zip", false),
  GLB("model/gltf-binary", false),
  TEXT("text/plain", false),
  /** Binary data without a signature Kiln knows. */
  UNKNOWN("application/octet-stream", false);

  private final String mediaType;
  private final boolean image;

  ContentKind(String mediaType, boolean image) {
    this.mediaType = mediaType;
    this.image = image;
  }

  /** The canonical media type of this kind. */
  public String mediaType() {
    return mediaType;
  }

  public boolean isImage() {
    return image;
  }

  private static final Map<String, ContentKind> BY_MEDIA_TYPE =
      Map.ofEntries(
          Map.entry("image/png", PNG),
          Map.entry("image/apng", PNG),
          Map.entry("image/jpeg", JPEG),
          Map.entry("image/jpg", JPEG),
          Map.entry("image/pjpeg", JPEG),
          Map.entry("image/gif", GIF),
          Map.entry("image/webp", WEBP),
          Map.entry("image/tiff", TIFF),
          Map.entry("application/pdf", PDF),
          Map.entry("application/zip", ZIP),
          Map.entry("application/x-zip-compressed", ZIP),
          Map.entry("model/gltf-binary", GLB),
          Map.entry("model/gltf+json", TEXT),
          Map.entry("application/json", TEXT),
          Map.entry("application/xml", TEXT),
          Map.entry("image/svg+xml", TEXT));

  private static final Map<String, ContentKind> BY_EXTENSION =
      Map.ofEntries(
          Map.entry("png", PNG),
          Map.entry("jpg", JPEG),
          Map.entry("jpeg", JPEG),
          Map.entry("jpe", JPEG),
          Map.entry("jfif", JPEG),
          Map.entry("gif", GIF),
          Map.entry("webp", WEBP),
          Map.entry("tif", TIFF),
          Map.entry("tiff", TIFF),
          Map.entry("pdf", PDF),
          Map.entry("zip", ZIP),
          Map.entry("glb", GLB),
          Map.entry("gltf", TEXT),
          Map.entry("txt", TEXT),
          Map.entry("html", TEXT),
          Map.entry("htm", TEXT),
          Map.entry("json", TEXT),
          Map.entry("csv", TEXT),
          Map.entry("xml", TEXT),
          Map.entry("svg", TEXT),
          Map.entry("md", TEXT));

  /** The kind a media type promises, if it promises one ({@code text/*} promises text). */
  public static Optional<ContentKind> ofMediaType(String contentType) {
    if (contentType == null) {
      return Optional.empty();
    }
    String bare = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (bare.startsWith("text/")) {
      return Optional.of(TEXT);
    }
    return Optional.ofNullable(BY_MEDIA_TYPE.get(bare));
  }

  /** The kind a file name's extension promises, if it promises one. */
  public static Optional<ContentKind> ofFileName(String fileName) {
    if (fileName == null) {
      return Optional.empty();
    }
    String base =
        fileName.substring(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
    int dot = base.lastIndexOf('.');
    if (dot < 0) {
      return Optional.empty();
    }
    return Optional.ofNullable(BY_EXTENSION.get(base.substring(dot + 1).toLowerCase(Locale.ROOT)));
  }
}
