package dev.kiln.gateway.idempotency;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.model.json.KilnJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * What makes two requests "the same" for an Idempotency-Key: method, path and the canonical body
 * (as parsed, with object keys sorted and nulls left out, so spacing and key order do not count),
 * plus each uploaded file's part name, file name, media type and SHA-256.
 */
public final class RequestHash {

  private static final ObjectMapper CANONICAL =
      KilnJson.configure(new ObjectMapper())
          .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private RequestHash() {}

  /** The hash of a JSON request whose body was parsed into {@code body}. */
  public static String of(String method, String path, Object body) {
    return of(method, path, body, List.of());
  }

  /** The hash of a request with uploaded files; the files are read once more to digest them. */
  public static String of(String method, String path, Object body, List<FileUpload> files) {
    ObjectNode canonical = JsonNodeFactory.instance.objectNode();
    canonical.set("body", CANONICAL.valueToTree(body));
    ArrayNode parts = canonical.putArray("files");
    for (FileUpload file : files) {
      parts
          .addObject()
          .put("part", file.name())
          .put("fileName", file.fileName())
          .put("contentType", file.contentType())
          .put("size", file.size())
          .put("sha256", sha256(file));
    }
    try {
      // why: ObjectNode keeps insertion order; going through plain maps sorts every object's keys
      Object plain = CANONICAL.treeToValue(canonical, Object.class);
      String text = method + "\n" + path + "\n" + CANONICAL.writeValueAsString(plain);
      return hex(
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String sha256(FileUpload file) {
    try (InputStream in =
        new DigestInputStream(
            Files.newInputStream(file.uploadedFile()), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return hex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }
}
