package dev.kiln.worker.extraction.parse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @ParameterizedTest(name = "{0} is {1} min")
  @CsvSource({
    "PT1H30M, 90",
    "P0DT2H, 120",
    "PT90M, 90",
    "PT1H30M0S, 90",
    "PT0H45M0S, 45",
    "P1DT2H, 1560",
    "pt20m, 20",
    "PT1.5H, 90",
    "PT30S, 1",
    "P30M, 30",
    "PT 1H 10M, 70"
  })
  void readsIsoDurationsIncludingSloppyForms(String text, int minutes) {
    assertThat(Durations.minutes(text)).isEqualTo(minutes);
  }

  @ParameterizedTest(name = "{0} is {1} min")
  @CsvSource({
    "1 hour 10 minutes, 70",
    "45 min, 45",
    "2 hrs, 120",
    "1 Std. 10 Min., 70",
    "30 Minuten, 30",
    "1 heure 15 minutes, 75",
    "1 uur, 60",
    "1h30, 90",
    "25, 25"
  })
  void readsDurationsWrittenAsText(String text, int minutes) {
    assertThat(Durations.minutes(text)).isEqualTo(minutes);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"P", "PT", "soon", "about an hour"})
  void returnsNullWithoutADuration(String text) {
    assertThat(Durations.minutes(text)).isNull();
  }
}
