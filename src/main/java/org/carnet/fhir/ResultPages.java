package org.carnet.fhir;

import ca.uhn.fhir.model.api.ResourceMetadataKeyEnum;
import ca.uhn.fhir.model.valueset.BundleEntrySearchModeEnum;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.carnet.record.RecordVault;
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

    private final RecordVault vault;
    private final String type;
    private final List<Long> pks;
    private final Includes includes;
    private final Integer preferredPageSize;
    private final Visibility madeWith;
    private final InstantType published = InstantType.now();

    ResultPages(RecordVault vault, String type, List<Long> pks, Includes includes, Integer preferredPageSize) {
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
        List<RawEntry> page = rawPage(fromIndex, toIndex);
        // Parsing dominates the cost of a large page; spread it over the cores.
        var entries = page.size() >= 200 ? page.parallelStream() : page.stream();
        List<Resource> parsed = entries.map(entry -> (Resource) vault.fhirContext().newJsonParser()
                        .parseResource(entry.resource().json()))
                .toList();
        for (int i = 0; i < page.size(); i++) {
            ResourceMetadataKeyEnum.ENTRY_SEARCH_MODE.put(parsed.get(i),
                    page.get(i).included() ? BundleEntrySearchModeEnum.INCLUDE : BundleEntrySearchModeEnum.MATCH);
            resources.add(parsed.get(i));
        }
        return resources;
    }

    /** The same page as {@link #getResources}, as stored JSON, for responses written without re-encoding. */
    List<RawEntry> rawPage(int fromIndex, int toIndex) {
        PageKeys keys = keys(fromIndex, toIndex);
        Visibility visibility = visibility();
        List<RawEntry> entries = new ArrayList<>();
        vault.loadJson(keys.matches(), visibility).forEach(json -> entries.add(new RawEntry(json, false)));
        vault.loadJson(keys.included(), visibility).forEach(json -> entries.add(new RawEntry(json, true)));
        entries.forEach(e -> CurrentAccess.disclose(e.resource().type(), e.resource().id(), e.resource().patientId()));
        return entries;
    }

    /** One entry of a page: a stored resource, matched or included. */
    record RawEntry(RecordVault.StoredJson resource, boolean included) {}

    private record PageKeys(List<Long> matches, List<Long> included) {}

    /** The current request's visibility: a page served later obeys the rules in force then (a revocation applies). */
    private Visibility visibility() {
        return CurrentAccess.active() ? CurrentAccess.visibility() : madeWith;
    }

    private PageKeys keys(int fromIndex, int toIndex) {
        Visibility visibility = visibility();
        List<Long> page = pks.subList(Math.min(fromIndex, pks.size()), Math.min(toIndex, pks.size()));
        if (includes.isEmpty() || page.isEmpty()) {
            return new PageKeys(page, List.of());
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
        return new PageKeys(page, extra);
    }

    @Override
    public String getUuid() {
        return null;
    }

    @Override
    public Integer preferredPageSize() {
        return preferredPageSize;
    }

    @Override
    public Integer size() {
        return pks.size();
    }
}
