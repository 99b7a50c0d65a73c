package dev.kiln.worker.storage;

import dev.kiln.worker.config.StorageConfig;
import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.MinioException;
import io.minio.messages.Item;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/** {@link ObjectStore} on any S3-compatible store (MinIO, S3Proxy, AWS) through quarkus-minio. */
@Singleton
public class MinioObjectStore implements ObjectStore {

  private static final Logger LOG = Logger.getLogger(MinioObjectStore.class);

  // why: lets the client pick the part size from the object size (>= 5 MiB parts), so a 100 MB
  // artifact is streamed in bounded buffers instead of being held in memory
  private static final long AUTO_PART_SIZE = -1;
  private static final Set<String> ALREADY_THERE =
      Set.of("BucketAlreadyOwnedByYou", "BucketAlreadyExists");
  private static final String NO_SUCH_KEY = "NoSuchKey";

  private final MinioClient minio;
  private final String bucket;

  @Inject
  public MinioObjectStore(MinioClient minio, StorageConfig config) {
    this.minio = minio;
    this.bucket = config.bucket();
    // why: the SDK defaults to 5 minute timeouts, which would hang readiness probes and jobs when
    // the store is unreachable
    minio.setTimeout(
        TimeUnit.SECONDS.toMillis(10),
        TimeUnit.SECONDS.toMillis(60),
        TimeUnit.SECONDS.toMillis(60));
  }

  public String bucket() {
    return bucket;
  }

  /** Creates the bucket unless it exists; another worker creating it at the same time is fine. */
  public void ensureBucket() throws IOException {
    try {
      if (minio.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
        return;
      }
      minio.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
      LOG.infof("created bucket %s", bucket);
    } catch (ErrorResponseException e) {
      if (!ALREADY_THERE.contains(e.errorResponse().code())) {
        throw wrap("create bucket " + bucket, e);
      }
    } catch (MinioException | GeneralSecurityException e) {
      throw wrap("create bucket " + bucket, e);
    }
  }

  /** Whether the bucket answers; used by the readiness check. */
  public boolean bucketReachable() {
    try {
      return minio.bucketExists(BucketExistsArgs.builder().bucket(bucket).build());
    } catch (MinioException | GeneralSecurityException | IOException e) {
      LOG.debugf("bucket %s not reachable: %s", bucket, e.toString());
      return false;
    }
  }

  @Override
  public void put(String key, InputStream content, long size, String contentType)
      throws IOException {
    try {
      minio.putObject(
          PutObjectArgs.builder().bucket(bucket).object(key).stream(content, size, AUTO_PART_SIZE)
              .contentType(contentType)
              .build());
    } catch (MinioException | GeneralSecurityException e) {
      throw wrap("put " + key, e);
    }
  }

  @Override
  public InputStream open(String key, long offset) throws IOException {
    try {
      GetObjectArgs.Builder args = GetObjectArgs.builder().bucket(bucket).object(key);
      if (offset > 0) {
        args.offset(offset);
      }
      return minio.getObject(args.build());
    } catch (ErrorResponseException e) {
      if (NO_SUCH_KEY.equals(e.errorResponse().code())) {
        throw new ObjectNotFoundException(key);
      }
      throw wrap("get " + key, e);
    } catch (MinioException | GeneralSecurityException e) {
      throw wrap("get " + key, e);
    }
  }

  @Override
  public void delete(String key) throws IOException {
    try {
      minio.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
    } catch (MinioException | GeneralSecurityException e) {
      throw wrap("delete " + key, e);
    }
  }

  @Override
  public List<String> list(String prefix) throws IOException {
    List<String> keys = new ArrayList<>();
    try {
      for (Result<Item> r :
          minio.listObjects(
              ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true).build())) {
        Item item = r.get();
        if (!item.isDir()) {
          keys.add(item.objectName());
        }
      }
    } catch (MinioException | GeneralSecurityException e) {
      throw wrap("list " + prefix, e);
    }
    return keys;
  }

  private static IOException wrap(String what, Exception e) {
    return new IOException("object store: cannot " + what + ": " + e.getMessage(), e);
  }
}
