package dev.kiln.gateway.hostile;

import static dev.kiln.gateway.hostile.HostileCase.field;

import java.util.ArrayList;
import java.util.List;

/**
 * URLs that reach this host, in every spelling, as input URLs, webhook targets and a tenant's
 * default webhook target: refused at submission, before anything is stored or fetched. Each names
 * only loopback, so even a broken guard sends nothing off the machine. Redirects to these addresses
 * are checked at fetch and call time (GuardedFetcherTest, GuardedPosterTest), and private,
 * link-local, CGNAT and metadata ranges by the address guard's unit tests, which connect nowhere.
 */
public class SsrfCases implements HostileCaseSource {

  static final String[] LOOPBACK = {
    "http://127.0.0.1/",
    "http://127.1/",
    "http://2130706433/",
    "http://0x7f000001/",
    "http://0x7f.0.0.1/",
    "http://0177.0.0.1/",
    "http://017700000001/",
    "http://127.0.0.1.:8080/",
    "http://127.255.255.254/",
    "http://[::1]/",
    "http://[0:0:0:0:0:0:0:1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:7f00:1]/",
    "http://localhost./",
    "http://LOCALHOST/",
    "http://api.localhost/",
    "http://0.0.0.0/",
    "http://0/",
    "https://user@127.0.0.1/",
  };

  @Override
  public List<HostileCase> cases(HostileFixtures f) {
    List<HostileCase> c = new ArrayList<>();
    for (String url : LOOPBACK) {
      c.add(
          field(
              "ssrf",
              "input URL " + url,
              Calls.postJob(
                  "{\"type\":\"synthetic\",\"inputs\":[{\"url\":\""
                      + url
                      + "\",\"name\":\"in\"}]}"),
              400,
              "VALIDATION_FAILED",
              "inputs[0].url",
              "URL_FORBIDDEN"));
      c.add(
          field(
              "ssrf",
              "notifyUrl " + url,
              Calls.postJob("{\"type\":\"synthetic\",\"notifyUrl\":\"" + url + "\"}"),
              400,
              "VALIDATION_FAILED",
              "notifyUrl",
              "URL_FORBIDDEN"));
    }
    for (String url : new String[] {"http://127.1/hook", "http://[::ffff:127.0.0.1]/hook"}) {
      c.add(
          field(
              "ssrf",
              "tenant default notify URL " + url,
              s ->
                  s.contentType("application/json")
                      .body("{\"defaultNotifyUrl\":\"" + url + "\"}")
                      .put("/api/v1/admin/tenants/default"),
              400,
              "VALIDATION_FAILED",
              "defaultNotifyUrl",
              "URL_FORBIDDEN"));
    }
    c.add(
        field(
            "ssrf",
            "input URL with a non-http scheme",
            Calls.postJob(
                "{\"type\":\"synthetic\",\"inputs\":[{\"url\":\"file:///etc/passwd\",\"name\":\"in\"}]}"),
            400,
            "VALIDATION_FAILED",
            "inputs[0].url",
            "INVALID_URL"));
    return c;
  }
}
