package dev.kiln.gateway.jobs;

import dev.kiln.gateway.auth.Caller;
import dev.kiln.gateway.storage.ObjectStore;
import dev.kiln.gateway.uploads.UploadChecks;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * Puts uploaded files into the object store under {@code inputs/{jobId}/} and resolves object
 * references. Uploads arrive as temp files and are streamed, never held whole in memory.
 */
@ApplicationScoped
public class InputStorage {

  /** The only objects a job may take as input: another job's inputs or artifacts. */
  private static final Pattern JOB_OBJECT =
      Pattern.compile(
          "(?:inputs|artifacts)/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/.+");

  @Inject ObjectStore store;
  @Inject UploadChecks checks;

  /**
   * Checks the files by content (type, declared name and type, image size) before anything is
   * uploaded; adds a field error per refused file.
   */
  public void checkUploads(
      JobTypeDescriptor descriptor, List<FileUpload> uploads, List<FieldError> errors)
      throws java.io.IOException {
    checks.checkContent(descriptor, uploads, errors);
  }

  /** Stores the uploads of one job; returns them as inputs, after the referenced ones. */
  public List<InputRef> storeUploads(UUID jobId, List<FileUpload> uploads, Set<String> taken)
      throws Exception {
    List<InputRef> stored = new ArrayList<>();
    for (FileUpload upload : uploads) {
      String name = SubmissionValidator.safeName(upload.fileName(), taken);
      String key = "inputs/" + jobId + "/" + name;
      // why: stored under what the bytes are, which was checked, not what the client said
      String contentType = checks.mediaType(upload);
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

  private static boolean ownedBy(String objectKey, Caller caller) {
    Matcher m = JOB_OBJECT.matcher(objectKey);
    if (!m.matches()) {
      return false;
    }
    Job job = Job.findById(UUID.fromString(m.group(1)));
    return job != null && caller.sees(job.tenantId);
  }

  /** Removes what {@link #storeUploads} stored under {@code prefix}. */
  public void removeUploads(String prefix) throws Exception {
    store.removePrefix(prefix);
  }

  /**
   * Fills in size and type of object inputs; adds a field error for each missing object. A caller
   * may reference only the inputs and artifacts of its own tenant's jobs; anything else is reported
   * exactly like a missing object, so other tenants' keys cannot be probed.
   */
  public List<InputRef> resolveObjects(
      List<InputRef> inputs, List<FieldError> errors, String prefix, Caller caller)
      throws Exception {
    List<InputRef> resolved = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      InputRef ref = inputs.get(i);
      if (ref.isUrl()) {
        resolved.add(ref);
        continue;
      }
      Optional<StatObjectResponse> stat =
          ownedBy(ref.objectKey(), caller) ? store.stat(ref.objectKey()) : Optional.empty();
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
