package dev.kiln.gateway.auth;

import jakarta.enterprise.context.RequestScoped;

/** The request's {@link Caller}, set by {@link AuthFilter} before any resource method runs. */
@RequestScoped
public class CurrentCaller {

  private Caller caller;

  void set(Caller caller) {
    this.caller = caller;
  }

  /** The caller; fails when called outside an authenticated request (a bug, not a client error). */
  public Caller get() {
    if (caller == null) {
      throw new IllegalStateException("no authenticated caller in this request");
    }
    return caller;
  }

  public String tenantId() {
    return get().tenantId();
  }
}
