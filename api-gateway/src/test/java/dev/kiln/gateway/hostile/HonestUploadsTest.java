package dev.kiln.gateway.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.gateway.Api;
import dev.kiln.gateway.uploads.TestImages;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The other side of the hostile-input suite: what is honest passes the same checks. Images at the
 * caps are accepted, files are stored under what their bytes are, and hostile file names end as
 * safe names under the job's own prefix.
 */
@QuarkusTest
class HonestUploadsTest {

  private static JsonPath submit(Calls.Upload... files) {
    String id =
        Calls.uploadJob(files)
            .apply(HostileRequests.request())
            .then()
            .statusCode(202)
            .extract()
            .path("id");
    return Api.job(UUID.fromString(id));
  }

  @Test
  void everySniffedFormatIsAcceptedUnderItsOwnNameAndStoredAsWhatItIs() {
    JsonPath job =
        submit(
            TestFiles.of("a.png", "image/png", TestImages.png(8_000, 5_000)),
            TestFiles.of("b.jpg", "image/jpeg", TestImages.jpeg(20_000, 2_000, 2, 1_000)),
            TestFiles.of("c.gif", "image/gif", TestImages.gif(640, 480)),
            TestFiles.of("d.webp", "image/webp", TestImages.webpLossy(1920, 1080)),
            TestFiles.of("e.tif", "image/tiff", TestImages.tiff(100, 100, true)),
            TestFiles.of("f.pdf", "application/pdf", "%PDF-1.7\n"),
            TestFiles.of("g.html", "text/html", "<!doctype html><p>caf\u00e9</p>"),
            TestFiles.of("h.bin", "application/octet-stream", TestImages.png(1, 1)),
            TestFiles.of("i.csv", "text/csv", new byte[] {'c', 'a', 'f', (byte) 0xe9, '\n'}));
    List<Map<String, Object>> inputs = job.getList("inputs");
    assertThat(inputs)
        .extracting(i -> i.get("name") + " " + i.get("contentType"))
        .containsExactly(
            "a.png image/png",
            "b.jpg image/jpeg",
            "c.gif image/gif",
            "d.webp image/webp",
            "e.tif image/tiff",
            "f.pdf application/pdf",
            "g.html text/html",
            "h.bin image/png",
            "i.csv text/csv");
  }

  @Test
  void hostileFileNamesAreStoredAsSafeNamesUnderTheJobsPrefix() {
    byte[] text = "hello".getBytes(StandardCharsets.UTF_8);
    JsonPath job =
        submit(
            TestFiles.of("../../../etc/passwd", "text/plain", text),
            TestFiles.of("..\\..\\win.ini", "text/plain", text),
            TestFiles.of("\u202egnp.txt", "text/plain", text),
            TestFiles.of("..", "text/plain", text));
    String prefix = "inputs/" + job.getString("id") + "/";
    assertThat(job.getList("inputs.name", String.class))
        .containsExactly("passwd", "win.ini", "gnp.txt", "input-4");
    assertThat(job.getList("inputs.objectKey", String.class))
        .allSatisfy(key -> assertThat(key).startsWith(prefix).doesNotContain(".."));
  }
}
