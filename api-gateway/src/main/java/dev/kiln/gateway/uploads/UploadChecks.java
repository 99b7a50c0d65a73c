package dev.kiln.gateway.uploads;

import dev.kiln.gateway.limits.InputLimits;
import dev.kiln.gateway.problems.ProblemException;
import dev.kiln.gateway.problems.Problems;
import dev.kiln.model.jobtypes.FieldError;
import dev.kiln.model.jobtypes.JobTypeDescriptor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * Checks uploaded files by what they are, not by what they are called: count and size caps, the
 * declared type and the name's extension against the sniffed content, the job type's accepted
 * types, and the pixel size images declare. Runs before anything is stored.
 */
@ApplicationScoped
public class UploadChecks {

  @Inject InputLimits limits;

  /**
   * The caps that answer 413: too many files, or a file over the per-file cap. Checked before the
   * request's JSON, since they need nothing but the sizes.
   */
  public void checkSizes(List<FileUpload> uploads) {
    if (uploads.size() > limits.maxUploadFiles()) {
      throw tooLarge(
          "TOO_MANY_FILES",
          "Too many files",
          "at most " + limits.maxUploadFiles() + " files per request, got " + uploads.size(),
          List.of(
              new FieldError(
                  "files", "TOO_MANY_FILES", "at most " + limits.maxUploadFiles() + " files")));
    }
    long cap = limits.maxUploadFileSize().asLongValue();
    List<FieldError> errors = new ArrayList<>();
    for (int i = 0; i < uploads.size(); i++) {
      if (uploads.get(i).size() > cap) {
        errors.add(
            new FieldError("files[" + i + "]", "FILE_TOO_LARGE", "at most " + cap + " bytes"));
      }
    }
    if (!errors.isEmpty()) {
      throw tooLarge(
          "FILE_TOO_LARGE",
          "File too large",
          "files are limited to " + cap + " bytes each",
          errors);
    }
  }

  /**
   * Checks each file's content; adds a field error per refused file. Images whose header declares
   * more pixels than allowed end the request at once with 413 {@code IMAGE_TOO_LARGE}.
   */
  public void checkContent(
      JobTypeDescriptor descriptor, List<FileUpload> uploads, List<FieldError> errors)
      throws IOException {
    List<FieldError> tooLarge = new ArrayList<>();
    for (int i = 0; i < uploads.size(); i++) {
      FileUpload upload = uploads.get(i);
      String field = "files[" + i + "]";
      ContentKind kind = sniff(upload);
      Optional<String> mismatch = mismatch(upload, kind);
      if (mismatch.isPresent()) {
        errors.add(new FieldError(field, "INPUT_CONTENT_MISMATCH", mismatch.get()));
        continue;
      }
      String type = mediaType(upload, kind);
      if (!descriptor.inputs().accepts(type)) {
        errors.add(
            new FieldError(
                field,
                "UNSUPPORTED_INPUT_TYPE",
                descriptor.name()
                    + " accepts "
                    + String.join(", ", descriptor.inputs().contentTypes())
                    + ", got "
                    + type));
        continue;
      }
      if (kind.isImage()) {
        checkImage(upload, kind, field, errors, tooLarge);
      }
    }
    if (!tooLarge.isEmpty()) {
      throw tooLarge(
          "IMAGE_TOO_LARGE",
          "Image too large",
          "images are limited to "
              + limits.maxImagePixels()
              + " pixels and "
              + limits.maxImageSide()
              + " pixels a side",
          tooLarge);
    }
  }

  /**
   * The media type to store an upload under: what its content is when it has a signature, else what
   * the client declared.
   */
  public String mediaType(FileUpload upload) throws IOException {
    return mediaType(upload, sniff(upload));
  }

  private static String mediaType(FileUpload upload, ContentKind kind) {
    if (kind != ContentKind.TEXT && kind != ContentKind.UNKNOWN) {
      return kind.mediaType();
    }
    String declared = upload.contentType();
    return declared == null || declared.isBlank() ? "application/octet-stream" : declared;
  }

  private static ContentKind sniff(FileUpload upload) throws IOException {
    try (InputStream in = Files.newInputStream(upload.uploadedFile())) {
      byte[] head = in.readNBytes(ContentSniffer.HEAD);
      return ContentSniffer.sniff(head);
    }
  }

  /** Why the content is not what its declared type or its name's extension promise, if so. */
  private static Optional<String> mismatch(FileUpload upload, ContentKind kind) {
    for (Map.Entry<String, Optional<ContentKind>> claim :
        List.of(
            Map.entry(
                "declared type " + Problems.truncate(upload.contentType()),
                ContentKind.ofMediaType(upload.contentType())),
            Map.entry("file name extension", ContentKind.ofFileName(upload.fileName())))) {
      if (claim.getValue().isPresent() && claim.getValue().get() != kind) {
        return Optional.of(
            "the "
                + claim.getKey()
                + " promises "
                + claim.getValue().get().name()
                + ", the content is "
                + kind.name());
      }
    }
    return Optional.empty();
  }

  private void checkImage(
      FileUpload upload,
      ContentKind kind,
      String field,
      List<FieldError> errors,
      List<FieldError> tooLarge)
      throws IOException {
    ImageHeaders.Size size;
    try (InputStream in = Files.newInputStream(upload.uploadedFile())) {
      size = ImageHeaders.read(kind, in);
    } catch (ImageHeaders.MalformedImageException e) {
      errors.add(new FieldError(field, "INVALID_IMAGE", e.getMessage()));
      return;
    }
    if (size.width() > limits.maxImageSide()
        || size.height() > limits.maxImageSide()
        || size.pixels() > limits.maxImagePixels()) {
      tooLarge.add(
          new FieldError(
              field,
              "IMAGE_TOO_LARGE",
              size.width() + " x " + size.height() + " pixels exceeds the limit"));
    }
  }

  private static ProblemException tooLarge(
      String code, String title, String detail, List<FieldError> errors) {
    return new ProblemException(413, code, title, detail, errors, Map.of());
  }
}
