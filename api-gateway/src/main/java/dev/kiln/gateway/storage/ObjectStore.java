package dev.kiln.gateway.storage;

import io.minio.BucketExistsArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectsArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;
import io.minio.http.Method;
import io.minio.messages.DeleteError;
import io.minio.messages.DeleteObject;
import io.minio.messages.Item;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** The gateway's view of the object store: input uploads, existence checks, download URLs. */
@ApplicationScoped
public class ObjectStore {

  private static final Logger LOG = Logger.getLogger(ObjectStore.class);

  private record Timeouts(Duration connect, Duration write, Duration read) {}

  private static final Timeouts TIMEOUT =
      new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(30));

  /** why: 10 MiB parts keep an upload's memory bounded whatever the file size. */
  private static final long PART_SIZE = 10L * 1024 * 1024;

  @Inject MinioClient minio;

  @Inject StorageConfig config;

  @ConfigProperty(name = "quarkus.minio.access-key")
  String accessKey;

  @ConfigProperty(name = "quarkus.minio.secret-key")
  String secretKey;

  @ConfigProperty(name = "quarkus.minio.region", defaultValue = "us-east-1")
  String region;

  /** why: with the region given, signing is pure computation and never calls the public host. */
  private MinioClient publicSigner;

  @PostConstruct
  void init() {
    // why: the SDK waits 5 minutes by default; a hung store must fail a request (and readiness)
    // quickly instead of holding a worker thread
    minio.setTimeout(
        TIMEOUT.connect().toMillis(), TIMEOUT.write().toMillis(), TIMEOUT.read().toMillis());
    publicSigner =
        MinioClient.builder()
            .endpoint(config.publicEndpoint())
            .credentials(accessKey, secretKey)
            .region(region)
            .build();
  }

  private volatile boolean bucketReady;

  /** A download URL and when it stops working. */
  public record SignedUrl(String url, Instant expiresAt) {}

  public void put(String key, InputStream data, long size, String contentType) throws Exception {
    ensureBucket();
    minio.putObject(
        PutObjectArgs.builder().bucket(config.bucket()).object(key).stream(data, size, PART_SIZE)
            .contentType(contentType)
            .build());
  }

  public Optional<StatObjectResponse> stat(String key) throws Exception {
    try {
      return Optional.of(
          minio.statObject(StatObjectArgs.builder().bucket(config.bucket()).object(key).build()));
    } catch (ErrorResponseException e) {
      String code = e.errorResponse().code();
      if ("NoSuchKey".equals(code) || "NoSuchObject".equals(code) || "NotFound".equals(code)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  public SignedUrl presignDownload(String key) throws Exception {
    int seconds = (int) config.downloadUrlTtl().toSeconds();
    Instant expiresAt = Instant.now().plusSeconds(seconds);
    String url =
        publicSigner.getPresignedObjectUrl(
            GetPresignedObjectUrlArgs.builder()
                .method(Method.GET)
                .bucket(config.bucket())
                .object(key)
                .expiry(seconds)
                .build());
    return new SignedUrl(url, expiresAt);
  }

  /** Removes one object; a missing one is fine. */
  public void remove(String key) throws Exception {
    minio.removeObject(
        io.minio.RemoveObjectArgs.builder().bucket(config.bucket()).object(key).build());
  }

  /** Removes every object under {@code prefix}; returns how many were removed. */
  public int removePrefix(String prefix) throws Exception {
    List<DeleteObject> objects = new ArrayList<>();
    for (Result<Item> item :
        minio.listObjects(
            ListObjectsArgs.builder()
                .bucket(config.bucket())
                .prefix(prefix)
                .recursive(true)
                .build())) {
      objects.add(new DeleteObject(item.get().objectName()));
    }
    if (objects.isEmpty()) {
      return 0;
    }
    // why: the deletions run while the results are read
    for (Result<DeleteError> error :
        minio.removeObjects(
            RemoveObjectsArgs.builder().bucket(config.bucket()).objects(objects).build())) {
      DeleteError e = error.get();
      throw new IllegalStateException("cannot remove " + e.objectName() + ": " + e.message());
    }
    return objects.size();
  }

  public boolean reachable() {
    try {
      return minio.bucketExists(BucketExistsArgs.builder().bucket(config.bucket()).build());
    } catch (Exception e) {
      return false;
    }
  }

  /** Creates the bucket on first use; a concurrent creator (another replica, a worker) is fine. */
  public void ensureBucket() throws Exception {
    if (bucketReady) {
      return;
    }
    if (!minio.bucketExists(BucketExistsArgs.builder().bucket(config.bucket()).build())) {
      try {
        minio.makeBucket(MakeBucketArgs.builder().bucket(config.bucket()).build());
      } catch (ErrorResponseException e) {
        LOG.debugf("bucket created concurrently: %s", e.errorResponse().code());
      }
    }
    bucketReady = true;
  }

  public String bucket() {
    return config.bucket();
  }
}
