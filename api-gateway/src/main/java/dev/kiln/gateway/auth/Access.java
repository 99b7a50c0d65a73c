package dev.kiln.gateway.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The least role an API method needs. Every resource method under {@code /api/v1} carries one (on
 * the method or its class); {@link AuthFilter} refuses methods without it, so a new endpoint is
 * closed until someone decides who may call it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Access {

  Role value();

  /** The method also accepts a stream token for its job as {@code ?access_token=}. */
  boolean streamToken() default false;

  /** Each call takes a token from the key's submit bucket (see {@code SubmitRateLimiter}). */
  boolean rateLimited() default false;
}
