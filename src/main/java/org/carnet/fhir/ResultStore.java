package org.carnet.fhir;

import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.IPagingProvider;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Result sets kept for their next-page links, the most recent {@code capacity} of them (see ADR 5). Shared by
 * HAPI's paging and by {@link RawJsonResponses}, so a link written by either is served by either. Each set is bound
 * to the caller who made it: anyone else asking for its id is told it does not exist.
 */
final class ResultStore implements IPagingProvider {

    private final int defaultPageSize;
    private final int maximumPageSize;
    private final Map<String, Owned> results;

    private record Owned(IBundleProvider list, String owner) {}

    ResultStore(int capacity, int defaultPageSize, int maximumPageSize) {
        this.defaultPageSize = defaultPageSize;
        this.maximumPageSize = maximumPageSize;
        this.results = new LinkedHashMap<>(capacity, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Owned> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    public int getDefaultPageSize() {
        return defaultPageSize;
    }

    @Override
    public int getMaximumPageSize() {
        return maximumPageSize;
    }

    @Override
    public @org.jspecify.annotations.Nullable IBundleProvider retrieveResultList(RequestDetails request, String id) {
        return get(id);
    }

    @org.jspecify.annotations.Nullable
    IBundleProvider get(String id) {
        String owner = CurrentAccess.owner();
        Owned owned;
        synchronized (this) {
            owned = results.get(id);
        }
        return owned != null && owned.owner().equals(owner) ? owned.list() : null;
    }

    @Override
    public String storeResultList(RequestDetails request, IBundleProvider list) {
        return store(list);
    }

    String store(IBundleProvider list) {
        String id = UUID.randomUUID().toString();
        Owned owned = new Owned(list, CurrentAccess.owner());
        synchronized (this) {
            results.put(id, owned);
        }
        return id;
    }

    int pageSize(@org.jspecify.annotations.Nullable Integer requested) {
        return requested == null ? defaultPageSize : Math.min(requested, maximumPageSize);
    }
}
