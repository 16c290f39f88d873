package org.carnet.fhir;

import ca.uhn.fhir.model.api.ResourceMetadataKeyEnum;
import ca.uhn.fhir.model.valueset.BundleEntrySearchModeEnum;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.carnet.record.RecordReads;
import org.carnet.record.Visibility;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Resource;

/**
 * A search result held as the keys of its matches; each page loads its resources (and their includes)
 * when it is served. Kept by the paging provider between next-page requests.
 */
final class ResultPages implements IBundleProvider {

    private final RecordReads vault;
    private final String type;
    private final List<Long> pks;
    private final Includes includes;
    private final @org.jspecify.annotations.Nullable Integer preferredPageSize;
    private final Visibility madeWith;
    private final InstantType published = InstantType.now();
    private final long maxPageBytes;

    ResultPages(
            RecordReads vault,
            String type,
            List<Long> pks,
            Includes includes,
            @org.jspecify.annotations.Nullable Integer preferredPageSize,
            long maxPageBytes) {
        this.maxPageBytes = maxPageBytes;
        this.madeWith = CurrentAccess.visibility();
        this.vault = vault;
        this.type = type;
        this.pks = List.copyOf(pks);
        this.includes = includes;
        this.preferredPageSize = preferredPageSize;
    }

    @Override
    public IPrimitiveType<Date> getPublished() {
        return published;
    }

    @Override
    public List<IBaseResource> getResources(int fromIndex, int toIndex) {
        List<IBaseResource> resources = new ArrayList<>();
        RawPage raw = rawPage(fromIndex, toIndex);
        if (raw.matches() < Math.min(toIndex, pks.size()) - fromIndex) {
            // HAPI's own pages (XML, _summary, _elements) link to the next page by count: say how many fit instead.
            throw new ca.uhn.fhir.rest.server.exceptions.PayloadTooLargeException("This page of results would be "
                    + "over " + maxPageBytes + " bytes: ask for at most " + Math.max(1, raw.matches())
                    + " per page (_count), or for JSON, which pages large results by size");
        }
        List<RawEntry> page = raw.entries();
        // Parsing dominates the cost of a large page; spread it over the cores.
        var entries = page.size() >= 200 ? page.parallelStream() : page.stream();
        List<Resource> parsed = entries.map(entry -> (Resource) vault.fhirContext()
                        .newJsonParser()
                        .parseResource(entry.resource().json()))
                .toList();
        for (int i = 0; i < page.size(); i++) {
            ResourceMetadataKeyEnum.ENTRY_SEARCH_MODE.put(
                    parsed.get(i),
                    page.get(i).included() ? BundleEntrySearchModeEnum.INCLUDE : BundleEntrySearchModeEnum.MATCH);
            resources.add(parsed.get(i));
        }
        return resources;
    }

    /**
     * The same page as {@link #getResources}, as stored JSON, for responses written without re-encoding. A page holds at
     * most {@code maxPageBytes} of resources (and always its first match): past that, it stops, and says how many of
     * the asked matches it covers. Resources past the budget are never read.
     */
    RawPage rawPage(int fromIndex, int toIndex) {
        Visibility visibility = visibility();
        int from = Math.max(0, Math.min(fromIndex, pks.size()));
        List<Long> asked = pks.subList(from, Math.max(from, Math.min(toIndex, pks.size())));
        RecordReads.Bounded matches = vault.loadJson(asked, visibility, maxPageBytes);
        List<Long> covered = asked.subList(0, matches.consumed());
        List<Long> wanted = included(covered, visibility);
        RecordReads.Bounded included = vault.loadJson(wanted, visibility, maxPageBytes - bytes(matches.resources()));
        // Too many included resources for the page: fewer matches, and their includes, until they fit (or one is left).
        while (included.consumed() < wanted.size() && covered.size() > 1) {
            covered = covered.subList(0, covered.size() / 2);
            matches = vault.loadJson(covered, visibility, maxPageBytes);
            wanted = included(covered, visibility);
            included = vault.loadJson(wanted, visibility, maxPageBytes - bytes(matches.resources()));
        }
        List<RawEntry> entries = new ArrayList<>();
        matches.resources().forEach(json -> entries.add(new RawEntry(json, false)));
        included.resources().forEach(json -> entries.add(new RawEntry(json, true)));
        entries.forEach(e -> CurrentAccess.disclose(
                e.resource().type(), e.resource().id(), e.resource().patientId()));
        return new RawPage(entries, covered.size());
    }

    /** A page as stored JSON: its entries (matches, then included), and how many of the asked matches it covers. */
    record RawPage(List<RawEntry> entries, int matches) {}

    private static long bytes(List<RecordReads.StoredJson> resources) {
        long bytes = 0;
        for (RecordReads.StoredJson resource : resources) {
            bytes += resource.json().length();
        }
        return bytes;
    }

    /** One entry of a page: a stored resource, matched or included. */
    record RawEntry(RecordReads.StoredJson resource, boolean included) {}

    /** The current request's visibility: a page served later obeys the rules in force then (a revocation applies). */
    private Visibility visibility() {
        return CurrentAccess.active() ? CurrentAccess.visibility() : madeWith;
    }

    /** The resources the page's matches include ({@code _include}, {@code _revinclude}), once each. */
    private List<Long> included(List<Long> page, Visibility visibility) {
        if (includes.isEmpty() || page.isEmpty()) {
            return List.of();
        }
        Set<Long> seen = new HashSet<>(page);
        List<Long> extra = new ArrayList<>();
        for (Includes.Spec spec : includes.includes()) {
            vault.referencedBy(page, type, spec.param(), spec.targetType(), visibility).stream()
                    .filter(seen::add)
                    .forEach(extra::add);
        }
        for (Includes.Spec spec : includes.revincludes()) {
            vault.referencing(page, spec.sourceType(), spec.param(), visibility).stream()
                    .filter(seen::add)
                    .forEach(extra::add);
        }
        return extra;
    }

    @Override
    public @org.jspecify.annotations.Nullable String getUuid() {
        return null;
    }

    @Override
    public @org.jspecify.annotations.Nullable Integer preferredPageSize() {
        return preferredPageSize;
    }

    @Override
    public Integer size() {
        return pks.size();
    }
}
