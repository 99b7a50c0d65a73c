package dev.kiln.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.model.events.EventPayload;
import dev.kiln.model.events.JobEvent;
import dev.kiln.model.events.JobEventBatch;
import dev.kiln.model.events.WorkerHeartbeat;
import dev.kiln.model.extraction.Ingredient;
import dev.kiln.model.extraction.Ingredient.Amount;
import dev.kiln.model.extraction.RecipeDocument;
import dev.kiln.model.json.KilnJson;
import dev.kiln.model.messages.CancelCommand;
import dev.kiln.model.messages.ExecutionPolicy;
import dev.kiln.model.messages.InputRef;
import dev.kiln.model.messages.JobMessage;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every wire type against a checked-in sample: a change to a record that would break a consumer
 * running the previous build fails here first.
 */
class WireContractTest {

  private static final ObjectMapper JSON = KilnJson.mapper();
  private static final UUID JOB = UUID.fromString("0b0e8f5e-4c1a-4f6e-9a51-7d1c2f3a4b5c");
  private static final UUID EVENT = UUID.fromString("6f1d2c3b-8a9e-4b7c-a1d2-e3f4a5b6c7d8");
  private static final UUID BATCH = UUID.fromString("a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d");
  private static final UUID RUN = UUID.fromString("c0ffee00-1234-4abc-9def-0123456789ab");
  private static final Instant AT = Instant.parse("2026-11-21T10:15:30.123Z");

  static Stream<Arguments> samples() {
    ObjectNode params = JSON.createObjectNode().put("stages", 2).put("stageMillis", 100);
    return Stream.of(
        Arguments.of(
            "job-message.json",
            new JobMessage(
                1,
                JOB,
                "synthetic",
                2,
                params,
                List.of(
                    InputRef.object(
                        "photo.png",
                        "inputs/" + JOB + "/photo.png",
                        "image/png",
                        2048,
                        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
                    InputRef.url("page.html", "https://example.org/recipe")),
                BATCH,
                AT,
                new ExecutionPolicy(5, 1000, 60_000, 600_000))),
        Arguments.of("cancel-command.json", new CancelCommand(1, JOB, 2, AT)),
        Arguments.of(
            "worker-heartbeat.json",
            new WorkerHeartbeat(1, "worker-7f3a", List.of("synthetic"), List.of(JOB), 4, AT)),
        event("job-queued.json", 0, new EventPayload.JobQueued("retry")),
        event(
            "job-started.json",
            1,
            new EventPayload.JobStarted("synthetic", List.of("a", "b"), 3, "a")),
        event(
            "job-retrying.json",
            7,
            new EventPayload.JobRetrying(3, AT.plusSeconds(4), "FLAKY", "try again", "b")),
        event("stage-started.json", 2, new EventPayload.StageStarted("a", 0)),
        event("stage-progress.json", 3, new EventPayload.StageProgress("a", 0, 40, "4 of 10")),
        event("stage-completed.json", 4, new EventPayload.StageCompleted("a", 0, 1500)),
        event(
            "artifact-created.json",
            5,
            new EventPayload.ArtifactCreated(
                "synthetic.bin",
                "artifacts/" + JOB + "/synthetic.bin",
                1024,
                "application/octet-stream",
                "5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef")),
        event("job-succeeded.json", 6, new EventPayload.JobSucceeded(3200)),
        event(
            "job-failed.json",
            6,
            new EventPayload.JobFailed("SYNTHETIC_FAILURE", "injected at stage 2", true, "b")),
        event("job-cancelled.json", 6, new EventPayload.JobCancelled("requested", "b")),
        Arguments.of(
            "job-event-batch.json",
            new JobEventBatch(
                1,
                List.of(
                    new JobEvent(
                        1,
                        EVENT,
                        JOB,
                        2,
                        1,
                        AT,
                        "worker-7f3a",
                        new EventPayload.JobStarted("synthetic", List.of(), 3, null),
                        RUN),
                    new JobEvent(
                        1,
                        UUID.fromString("7a2e3d4c-9b0f-4c8d-b2e3-f4a5b6c7d8e9"),
                        JOB,
                        2,
                        2,
                        AT,
                        "worker-7f3a",
                        new EventPayload.JobSucceeded(2),
                        RUN)))),
        Arguments.of("recipe-document.json", recipeDocument()));
  }

  private static RecipeDocument recipeDocument() {
    Ingredient flour =
        new Ingredient("1 1/2 cups flour (sifted)", new Amount(1.5, 1.5), "cup", "flour", "sifted");
    Ingredient eggs = new Ingredient("2-3 eggs", new Amount(2, 3), null, "eggs", null);
    Ingredient salt = new Ingredient("salt, to taste", null, null, "salt", "to taste");
    Map<String, String> nutrition = new LinkedHashMap<>();
    nutrition.put("calories", "320 kcal");
    nutrition.put("fatContent", "12 g");
    return new RecipeDocument(
        1,
        "https://example.org/recipes/pancakes",
        "json-ld",
        "Pancakes",
        "Fluffy pancakes for Sunday.",
        "Ada Cook, Bo Baker",
        "en-GB",
        "https://example.org/img/pancakes.jpg",
        new RecipeDocument.Yields(4, "4 servings"),
        new RecipeDocument.Times(10, 20, 30),
        List.of(
            new RecipeDocument.IngredientGroup("Batter", List.of(flour, eggs)),
            new RecipeDocument.IngredientGroup(null, List.of(salt))),
        List.of(flour, eggs, salt),
        List.of(
            new RecipeDocument.Step("Batter", "Whisk", "Whisk flour and eggs."),
            new RecipeDocument.Step(null, null, "Fry in butter.")),
        nutrition,
        List.of("breakfast", "pancakes"),
        List.of("Breakfast"),
        List.of("British"));
  }

  private static Arguments event(String sample, long seq, EventPayload payload) {
    return Arguments.of(
        sample, new JobEvent(1, EVENT, JOB, 2, seq, AT, "worker-7f3a", payload, RUN));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void serialisesExactlyAsTheCheckedInSample(String sample, Object value) throws IOException {
    JsonNode serialised = JSON.readTree(JSON.writeValueAsString(value));
    assertThat(serialised).isEqualTo(readSample(sample));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void checkedInSampleDeserialisesToTheSameValue(String sample, Object value) throws IOException {
    assertThat(JSON.treeToValue(readSample(sample), value.getClass())).isEqualTo(value);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void unknownFieldsFromANewerProducerAreIgnored(String sample, Object value) throws IOException {
    ObjectNode newer = (ObjectNode) readSample(sample);
    newer.put("addedInVersion2", "ignored");
    assertThat(JSON.treeToValue(newer, value.getClass())).isEqualTo(value);
  }

  private static JsonNode readSample(String sample) throws IOException {
    try (InputStream in = WireContractTest.class.getResourceAsStream("/contract/" + sample)) {
      assertThat(in).as("sample %s", sample).isNotNull();
      return JSON.readTree(in);
    }
  }
}
