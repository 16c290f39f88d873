package org.carnet.record;

import java.util.List;

/**
 * A search over one resource type.
 *
 * @param type the resource type
 * @param criteria all must hold
 * @param sort sort keys, first is most significant: a date parameter, {@code _lastUpdated} or {@code _id}
 */
public record SearchQuery(String type, List<Criterion> criteria, List<SortKey> sort) {

    public SearchQuery {
        criteria = List.copyOf(criteria);
        sort = List.copyOf(sort);
    }

    /** One sort key. */
    public record SortKey(String param, boolean descending) {}
}
