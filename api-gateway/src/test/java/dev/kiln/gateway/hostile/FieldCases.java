package dev.kiln.gateway.hostile;

import static dev.kiln.gateway.hostile.Calls.postBatch;
import static dev.kiln.gateway.hostile.Calls.postJob;
import static dev.kiln.gateway.hostile.Calls.postParams;
import static dev.kiln.gateway.hostile.Calls.postSynthetic;
import static dev.kiln.gateway.hostile.HostileCase.field;

import java.util.ArrayList;
import java.util.List;

/** Wrong types and out-of-range values in the request's fields and in the job's params. */
public class FieldCases implements HostileCaseSource {

  private static final String INVALID = "VALIDATION_FAILED";

  @Override
  public List<HostileCase> cases(HostileFixtures fixtures) {
    List<HostileCase> c = new ArrayList<>();
    String cat = "types";
    // --- request fields
    for (String bad : new String[] {"5", "true", "{}", "[]"}) {
      c.add(
          field(
              cat,
              "type is " + bad,
              postJob("{\"type\":" + bad + "}"),
              400,
              INVALID,
              "type",
              "TYPE_MISMATCH"));
    }
    for (String bad : new String[] {"\"30\"", "1.5", "true", "[]", "{}"}) {
      c.add(
          field(
              cat,
              "timeoutSeconds is " + bad,
              postSynthetic("\"timeoutSeconds\":" + bad),
              400,
              INVALID,
              "timeoutSeconds",
              "TYPE_MISMATCH"));
    }
    for (String bad : new String[] {"0", "-1", "86401", "2147483647"}) {
      c.add(
          field(
              cat,
              "timeoutSeconds is " + bad,
              postSynthetic("\"timeoutSeconds\":" + bad),
              400,
              INVALID,
              "timeoutSeconds",
              "OUT_OF_RANGE"));
    }
    c.add(
        field(
            cat,
            "timeoutSeconds beyond int",
            postSynthetic("\"timeoutSeconds\":99999999999"),
            400,
            INVALID,
            "timeoutSeconds",
            "OUT_OF_RANGE"));
    c.add(
        field(
            cat,
            "retry is a string",
            postSynthetic("\"retry\":\"often\""),
            400,
            INVALID,
            "retry",
            "TYPE_MISMATCH"));
    c.add(
        field(
            cat,
            "retry is an array",
            postSynthetic("\"retry\":[3]"),
            400,
            INVALID,
            "retry",
            "TYPE_MISMATCH"));
    String[][] retries = {
      {"maxAttempts", "0", "OUT_OF_RANGE"},
      {"maxAttempts", "21", "OUT_OF_RANGE"},
      {"maxAttempts", "\"3\"", "TYPE_MISMATCH"},
      {"maxAttempts", "2.5", "TYPE_MISMATCH"},
      {"baseDelayMs", "-1", "OUT_OF_RANGE"},
      {"baseDelayMs", "3600001", "OUT_OF_RANGE"},
      {"baseDelayMs", "1e3", "TYPE_MISMATCH"},
      {"baseDelayMs", "99999999999999999999", "OUT_OF_RANGE"},
      {"maxDelayMs", "86400001", "OUT_OF_RANGE"},
    };
    for (String[] r : retries) {
      c.add(
          field(
              cat,
              "retry." + r[0] + " is " + r[1],
              postSynthetic("\"retry\":{\"" + r[0] + "\":" + r[1] + "}"),
              400,
              INVALID,
              "retry." + r[0],
              r[2]));
    }
    c.add(
        field(
            cat,
            "retry.maxDelayMs below baseDelayMs",
            postSynthetic("\"retry\":{\"baseDelayMs\":5000,\"maxDelayMs\":10}"),
            400,
            INVALID,
            "retry.maxDelayMs",
            "OUT_OF_RANGE"));
    c.add(
        field(
            cat,
            "inputs is a string",
            postSynthetic("\"inputs\":\"https://example.org/x\""),
            400,
            INVALID,
            "inputs",
            "TYPE_MISMATCH"));
    c.add(
        field(
            cat,
            "inputs is an object",
            postSynthetic("\"inputs\":{}"),
            400,
            INVALID,
            "inputs",
            "TYPE_MISMATCH"));
    c.add(
        field(
            cat,
            "inputs[0] is a number",
            postSynthetic("\"inputs\":[1]"),
            400,
            INVALID,
            "inputs[0]",
            "TYPE_MISMATCH"));
    c.add(
        field(
            cat,
            "inputs[0] is null",
            postSynthetic("\"inputs\":[null]"),
            400,
            INVALID,
            "inputs[0]",
            "INVALID_INPUT"));
    c.add(
        field(
            cat,
            "inputs[0] is empty",
            postSynthetic("\"inputs\":[{}]"),
            400,
            INVALID,
            "inputs[0]",
            "INVALID_INPUT"));
    c.add(
        field(
            cat,
            "inputs[0] has url and object",
            postSynthetic(
                "\"inputs\":[{\"url\":\"https://example.org/a\",\"object\":\"inputs/x/y\"}]"),
            400,
            INVALID,
            "inputs[0]",
            "INVALID_INPUT"));
    c.add(
        field(
            cat,
            "17 inputs for a type that takes 16",
            postSynthetic(
                "\"inputs\":["
                    + "{\"url\":\"https://example.org/a\"},".repeat(16)
                    + "{\"url\":\"https://example.org/a\"}]"),
            400,
            INVALID,
            "inputs",
            "INPUT_COUNT"));
    c.add(
        field(
            cat,
            "notifyUrl is a number",
            postSynthetic("\"notifyUrl\":5"),
            400,
            INVALID,
            "notifyUrl",
            "TYPE_MISMATCH"));
    c.add(
        field(
            cat,
            "batch jobs is an object",
            postBatch("{\"jobs\":{}}"),
            400,
            INVALID,
            "jobs",
            "TYPE_MISMATCH"));
    c.add(
        field(
            cat,
            "batch jobs is empty",
            postBatch("{\"jobs\":[]}"),
            400,
            INVALID,
            "jobs",
            "OUT_OF_RANGE"));
    c.add(
        field(
            cat,
            "batch of 1,001 jobs",
            postBatch(
                "{\"jobs\":["
                    + "{\"type\":\"synthetic\"},".repeat(1000)
                    + "{\"type\":\"synthetic\"}]}"),
            400,
            INVALID,
            "jobs",
            "OUT_OF_RANGE"));
    c.add(
        field(
            cat,
            "batch jobs[0] is null",
            postBatch("{\"jobs\":[null]}"),
            400,
            INVALID,
            "jobs[0]",
            "REQUIRED"));
    c.add(
        field(
            cat,
            "batch jobs[0] is a number",
            postBatch("{\"jobs\":[5]}"),
            400,
            INVALID,
            "jobs[0]",
            "TYPE_MISMATCH"));
    c.add(
        field(
            cat,
            "batch jobs[1] has an unknown type",
            postBatch("{\"jobs\":[{\"type\":\"synthetic\"},{\"type\":\"nope\"}]}"),
            400,
            INVALID,
            "jobs[1].type",
            "UNKNOWN_JOB_TYPE"));
    addParams(c);
    return c;
  }

  private static void addParams(List<HostileCase> c) {
    String cat = "params";
    for (String bad : new String[] {"[]", "\"stages=3\"", "5"}) {
      c.add(
          field(cat, "params is " + bad, postParams(bad), 400, INVALID, "params", "TYPE_MISMATCH"));
    }
    String[][] params = {
      {"stages", "-1", "OUT_OF_RANGE"},
      {"stages", "21", "OUT_OF_RANGE"},
      {"stages", "2.5", "TYPE_MISMATCH"},
      {"stages", "\"3\"", "TYPE_MISMATCH"},
      {"stages", "true", "TYPE_MISMATCH"},
      {"stages", "[3]", "TYPE_MISMATCH"},
      {"stages", "{}", "TYPE_MISMATCH"},
      {"stages", "1e400", "TYPE_MISMATCH"},
      {"stages", "-1e400", "TYPE_MISMATCH"},
      {"stages", "1e300", "OUT_OF_RANGE"},
      {"stages", "99999999999999999999999", "OUT_OF_RANGE"},
      {"stageMillis", "600001", "OUT_OF_RANGE"},
      {"artifactBytes", "104857601", "OUT_OF_RANGE"},
      {"failAttempts", "-9223372036854775809", "OUT_OF_RANGE"},
      {"failRetryable", "\"true\"", "TYPE_MISMATCH"},
      {"failRetryable", "1", "TYPE_MISMATCH"},
      {"failCode", "5", "TYPE_MISMATCH"},
      {"failCode", "\"" + "X".repeat(65) + "\"", "TOO_LONG"},
      {"failCode", "\"A\\u0000B\"", "INVALID_CHARACTERS"},
      {"failCode", "\"\\u001b[2J\"", "INVALID_CHARACTERS"},
      {"failCode", "\"\\ud800\"", "INVALID_CHARACTERS"},
      {"failCode", "\"\\udfff\\ud800\"", "INVALID_CHARACTERS"},
      {"failCode", "\"NEL\\u0085\"", "INVALID_CHARACTERS"},
      {"failCode", "\"DEL\\u007f\"", "INVALID_CHARACTERS"},
      {"bogus", "1", "UNKNOWN_FIELD"},
      {"__proto__", "{}", "UNKNOWN_FIELD"},
      {"constructor", "{\"prototype\":{}}", "UNKNOWN_FIELD"},
      {"Stages", "3", "UNKNOWN_FIELD"},
    };
    for (String[] p : params) {
      c.add(
          field(
              cat,
              "params." + p[0] + " is " + abbreviate(p[1]),
              postParams("{\"" + p[0] + "\":" + p[1] + "}"),
              400,
              INVALID,
              "params." + p[0],
              p[2]));
    }
  }

  static String abbreviate(String s) {
    return s.length() > 24 ? s.substring(0, 24) + "…(" + s.length() + ")" : s;
  }
}
