package dev.kiln.gateway.hostile;

import io.restassured.builder.MultiPartSpecBuilder;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.function.Function;

/** Request shapes the case sources share; each applies to a spec from {@link HostileRequests}. */
final class Calls {

  static final String JOBS = "/api/v1/jobs";
  static final String BATCHES = "/api/v1/batches";

  private Calls() {}

  static Function<RequestSpecification, Response> postJob(String json) {
    return s -> s.contentType("application/json").body(json).post(JOBS);
  }

  static Function<RequestSpecification, Response> postBatch(String json) {
    return s -> s.contentType("application/json").body(json).post(BATCHES);
  }

  static Function<RequestSpecification, Response> postJobBytes(byte[] json) {
    return s -> s.contentType("application/json").body(json).post(JOBS);
  }

  /** A synthetic job whose other fields are {@code fieldsJson} (without braces). */
  static Function<RequestSpecification, Response> postSynthetic(String fieldsJson) {
    return postJob("{\"type\":\"synthetic\"," + fieldsJson + "}");
  }

  static Function<RequestSpecification, Response> postParams(String paramsJson) {
    return postSynthetic("\"params\":" + paramsJson);
  }

  /** One uploaded file. */
  record Upload(String fileName, String mimeType, byte[] bytes) {}

  static Function<RequestSpecification, Response> multipart(
      String path, String jobJson, Upload... files) {
    return s -> {
      RequestSpecification spec = s.contentType("multipart/form-data");
      if (jobJson != null) {
        spec.multiPart(
            new MultiPartSpecBuilder(jobJson)
                .controlName("job")
                .mimeType("application/json")
                .charset("UTF-8")
                .build());
      }
      for (Upload f : files) {
        spec.multiPart(
            new MultiPartSpecBuilder(f.bytes())
                .controlName("file")
                .fileName(f.fileName())
                .mimeType(f.mimeType())
                .build());
      }
      return spec.post(path);
    };
  }

  static Function<RequestSpecification, Response> uploadJob(Upload... files) {
    return multipart(JOBS, "{\"type\":\"synthetic\"}", files);
  }

  static Function<RequestSpecification, Response> uploadBatch(Upload... files) {
    return multipart(BATCHES, "{\"type\":\"synthetic\"}", files);
  }

  static Function<RequestSpecification, Response> get(String path) {
    return s -> s.get(path);
  }
}
