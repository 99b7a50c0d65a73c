package dev.kiln.bench.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SseFramesTest {

  @Test
  void aBlankLineEndsAFrameWithItsIdEventAndData() {
    SseFrames frames = new SseFrames();
    assertThat(frames.line("content-type:application/json")).isNull();
    assertThat(frames.line("id:24001")).isNull();
    assertThat(frames.line("event:job.started")).isNull();
    assertThat(frames.line("data:{\"jobId\":\"a\"}")).isNull();
    assertThat(frames.line(""))
        .isEqualTo(new SseFrames.Frame("24001", "job.started", "{\"jobId\":\"a\"}"));
  }

  @Test
  void dataOverSeveralLinesIsJoinedAndOneLeadingSpaceDropped() {
    SseFrames frames = new SseFrames();
    frames.line("data: first");
    frames.line("data:  second");
    assertThat(frames.line("").data()).isEqualTo("first\n second");
  }

  @Test
  void commentsAndFramesWithoutDataYieldNothing() {
    SseFrames frames = new SseFrames();
    assertThat(frames.line(":open")).isNull();
    assertThat(frames.line("")).isNull();
    frames.line("id:7");
    assertThat(frames.line("")).isNull();
  }

  @Test
  void fieldsDoNotLeakIntoTheNextFrame() {
    SseFrames frames = new SseFrames();
    frames.line("id:1");
    frames.line("event:job.started");
    frames.line("data:x");
    frames.line("");
    frames.line("data:y");
    assertThat(frames.line("")).isEqualTo(new SseFrames.Frame(null, null, "y"));
  }
}
