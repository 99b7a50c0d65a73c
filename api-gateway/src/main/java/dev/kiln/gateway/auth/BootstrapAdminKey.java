package dev.kiln.gateway.auth;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/** Turns KILN_ADMIN_KEY into the first admin key at startup, so a new cluster can be managed. */
@ApplicationScoped
public class BootstrapAdminKey {

  private static final Logger LOG = Logger.getLogger(BootstrapAdminKey.class);

  @Inject AuthConfig config;
  @Inject ApiKeys keys;

  void onStart(@Observes StartupEvent event) {
    if (config.adminKey().isEmpty()) {
      LOG.info("KILN_ADMIN_KEY is not set; API keys can be made only with an existing admin key");
      return;
    }
    String token = config.adminKey().get().trim();
    if (!ApiTokens.wellFormed(token)) {
      throw new IllegalStateException(
          "KILN_ADMIN_KEY must be "
              + ApiTokens.MIN_LENGTH
              + " to "
              + ApiTokens.MAX_LENGTH
              + " printable characters without spaces (generate one with ./kiln keys generate)");
    }
    keys.bootstrap(token, config.adminTenant());
    // why: only the prefix is ever logged; the key itself must not reach any log
    LOG.infof("bootstrap admin key %s is active", ApiTokens.prefix(token));
  }
}
