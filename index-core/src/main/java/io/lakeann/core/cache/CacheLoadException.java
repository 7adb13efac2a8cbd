package io.lakeann.core.cache;

import io.lakeann.core.LakeAnnException;

/**
 * A cache miss could not produce its value: the loader failed (the cause), or the wait for another
 * request's load was interrupted. Nothing was cached; the next request for the witness loads again.
 */
public class CacheLoadException extends LakeAnnException {
  private static final long serialVersionUID = 1L;

  public CacheLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
