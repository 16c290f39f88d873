package org.carnet.search;

import java.util.Objects;

/** The characters {@code [start, end)} of a text, all said in one context. */
record ContextSpan(int start, int end, MentionContext context) {

    ContextSpan {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("not a span: [" + start + ", " + end + ")");
        }
        Objects.requireNonNull(context, "context");
    }
}
