package dev.kiln.gateway.jobs;

import dev.kiln.gateway.storage.ObjectStore;
import dev.kiln.model.jobtypes.FieldError;
import dev.kiln.model.jobtypes.JobTypeDescriptor;
import dev.kiln.model.messages.InputRef;
import io.minio.StatObjectResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * Puts uploaded files into the object store under {@code inputs/{jobId}/} and resolves object
 * references. Uploads arrive as temp files and are streamed, never held whole in memory.
 */
@ApplicationScoped
public class InputStorage {

  @Inject ObjectStore store;

  /** Checks media types before anything is uploaded; adds a field error per refused file. */
  public void checkUploads(
      JobTypeDescriptor descriptor, List<FileUpload> uploads, List<FieldError> errors) {
    for (int i = 0; i < uploads.size(); i++) {
      FileUpload upload = uploads.get(i);
      if (!descriptor.inputs().accepts(upload.contentType())) {
        errors.add(
            new FieldError(
                "files[" + i + "]",
                "UNSUPPORTED_INPUT_TYPE",
                descriptor.name()
                    + " accepts "
                    + String.join(", ", descriptor.inputs().contentTypes())
                    + ", got "
                    + upload.contentType()));
      }
    }
  }

  /** Stores the uploads of one job; returns them as inputs, after the referenced ones. */
  public List<InputRef> storeUploads(UUID jobId, List<FileUpload> uploads, Set<String> taken)
      throws Exception {
    List<InputRef> stored = new ArrayList<>();
    for (FileUpload upload : uploads) {
      String name = SubmissionValidator.safeName(upload.fileName(), taken);
      String key = "inputs/" + jobId + "/" + name;
      String contentType =
          upload.contentType() == null ? "application/octet-stream" : upload.contentType();
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      try (InputStream in =
          new DigestInputStream(Files.newInputStream(upload.uploadedFile()), sha256)) {
        store.put(key, in, upload.size(), contentType);
      }
      stored.add(
          InputRef.object(
              name, key, contentType, upload.size(), HexFormat.of().formatHex(sha256.digest())));
    }
    return stored;
  }

  /** Removes what {@link #storeUploads} stored under {@code prefix}. */
  public void removeUploads(String prefix) throws Exception {
    store.removePrefix(prefix);
  }

  /** Fills in size and type of object inputs; adds a field error for each missing object. */
  public List<InputRef> resolveObjects(
      List<InputRef> inputs, List<FieldError> errors, String prefix) throws Exception {
    List<InputRef> resolved = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      InputRef ref = inputs.get(i);
      if (ref.isUrl()) {
        resolved.add(ref);
        continue;
      }
      Optional<StatObjectResponse> stat = store.stat(ref.objectKey());
      if (stat.isEmpty()) {
        errors.add(
            new FieldError(
                prefix + "inputs[" + i + "].object", "INPUT_NOT_FOUND", "no such object"));
        continue;
      }
      resolved.add(
          new InputRef(
              ref.name(),
              ref.objectKey(),
              null,
              stat.get().contentType(),
              stat.get().size(),
              null));
    }
    return resolved;
  }
}
