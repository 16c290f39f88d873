package org.carnet.document;

import java.util.regex.Pattern;

/**
 * A stored content: its SHA-256 (lower-case hex, the content address within one patient's store) and size in bytes.
 */
record BlobRef(String sha256, long size) {

    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    public BlobRef {
        if (sha256 == null || !HEX.matcher(sha256).matches()) {
            throw new IllegalArgumentException("A blob address is 64 lower-case hex digits (SHA-256)");
        }
        if (size < 0) {
            throw new IllegalArgumentException("A blob size is not negative");
        }
    }
}
