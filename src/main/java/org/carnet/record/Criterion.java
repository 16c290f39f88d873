package org.carnet.record;

import java.util.List;

/**
 * One search parameter occurrence: the values are alternatives (OR); several criteria are all required (AND).
 *
 * @param param the parameter name, e.g. {@code code} or {@code _lastUpdated}
 * @param modifier the modifier after the colon ({@code exact}, {@code not}, {@code missing}, a type), or null
 * @param values the comma-separated values, unescaped, each possibly with a prefix such as {@code ge}
 */
public record Criterion(
        String param, @org.jspecify.annotations.Nullable String modifier, List<String> values) {

    public Criterion {
        values = List.copyOf(values);
    }
}
