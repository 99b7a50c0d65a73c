package dev.kiln.worker.extraction;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.model.extraction.Ingredient;
import dev.kiln.model.extraction.RecipeDocument;
import java.util.List;
import org.junit.jupiter.api.Test;

class CorpusScoringTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static RecipeDocument document() {
    return new RecipeDocument(
        1,
        null,
        "json-ld",
        "Crème  brûlée",
        null,
        null,
        null,
        null,
        new RecipeDocument.Yields(6, "6 ramekins"),
        new RecipeDocument.Times(10, 40, 50),
        List.of(),
        List.of(new Ingredient("½ cup sugar", null, null, "sugar", null)),
        List.of(
            new RecipeDocument.Step("Custard", "Heat", "Heat the cream."),
            new RecipeDocument.Step("Custard", null, "Whisk in the yolks.")),
        null,
        null,
        null,
        null);
  }

  @Test
  void textIsComparedAfterNfkcEntitiesWhitespaceAndCase() throws Exception {
    JsonNode expected =
        JSON.readTree(
            """
            {"title": "crème brûlée", "ingredients": ["1⁄2 cup sugar"],
             "instructions_list": ["Custard", "Heat", "Heat the cream.", "Whisk in the yolks."],
             "yields": "6 servings", "total_time": 50}
            """);

    assertThat(CorpusScoring.score(document(), expected))
        .allSatisfy(r -> assertThat(r.matched()).as(r.field()).isTrue());
  }

  @Test
  void missingOrNullYieldsAndTimesAreNotCounted() throws Exception {
    JsonNode expected =
        JSON.readTree(
            "{\"title\": \"x\", \"ingredients\": [], \"instructions_list\": [], \"yields\": null}");

    assertThat(CorpusScoring.score(document(), expected))
        .filteredOn(CorpusScoring.FieldResult::counted)
        .extracting(CorpusScoring.FieldResult::field)
        .containsExactly("title", "ingredients", "instructions_list");
  }

  @Test
  void noDocumentMatchesNothing() throws Exception {
    JsonNode expected =
        JSON.readTree(
            "{\"title\": \"x\", \"ingredients\": [\"1 egg\"], \"instructions_list\": [\"Boil.\"]}");

    assertThat(CorpusScoring.score(null, expected))
        .filteredOn(CorpusScoring.FieldResult::counted)
        .noneMatch(CorpusScoring.FieldResult::matched);
  }
}
