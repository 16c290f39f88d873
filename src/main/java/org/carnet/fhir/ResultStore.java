package org.carnet.fhir;

import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.IPagingProvider;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Result sets kept for their next-page links, the most recent {@code capacity} of them (see ADR 5). Shared by
 * HAPI's paging and by {@link RawJsonResponses}, so a link written by either is served by either.
 */
final class ResultStore implements IPagingProvider {

    private final int defaultPageSize;
    private final int maximumPageSize;
    private final Map<String, IBundleProvider> results;

    ResultStore(int capacity, int defaultPageSize, int maximumPageSize) {
        this.defaultPageSize = defaultPageSize;
        this.maximumPageSize = maximumPageSize;
        this.results = new LinkedHashMap<>(capacity, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, IBundleProvider> eldest) {
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
    public synchronized IBundleProvider retrieveResultList(RequestDetails request, String id) {
        return results.get(id);
    }

    synchronized IBundleProvider get(String id) {
        return results.get(id);
    }

    @Override
    public synchronized String storeResultList(RequestDetails request, IBundleProvider list) {
        return store(list);
    }

    synchronized String store(IBundleProvider list) {
        String id = UUID.randomUUID().toString();
        results.put(id, list);
        return id;
    }

    int pageSize(Integer requested) {
        return requested == null ? defaultPageSize : Math.min(requested, maximumPageSize);
    }
}
