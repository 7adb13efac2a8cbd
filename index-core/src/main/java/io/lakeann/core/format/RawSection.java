package io.lakeann.core.format;

/**
 * The bytes of a section whose type this reader does not know, kept so that a rewrite of the
 * file preserves it byte for byte.
 */
public record RawSection(int code, byte[] bytes) {}
