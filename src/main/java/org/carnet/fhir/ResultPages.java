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
    private final InstantType published = InstantType.now();

    ResultPages(RecordVault vault, String type, List<Long> pks, Includes includes, Integer preferredPageSize) {
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
        PageKeys keys = keys(fromIndex, toIndex);
        List<IBaseResource> resources = new ArrayList<>();
        for (Resource match : vault.load(keys.matches())) {
            ResourceMetadataKeyEnum.ENTRY_SEARCH_MODE.put(match, BundleEntrySearchModeEnum.MATCH);
            resources.add(match);
        }
        for (Resource included : vault.load(keys.included())) {
            ResourceMetadataKeyEnum.ENTRY_SEARCH_MODE.put(included, BundleEntrySearchModeEnum.INCLUDE);
            resources.add(included);
        }
        return resources;
    }

    /** The same page as {@link #getResources}, as stored JSON, for responses written without re-encoding. */
    List<RawEntry> rawPage(int fromIndex, int toIndex) {
        PageKeys keys = keys(fromIndex, toIndex);
        List<RawEntry> entries = new ArrayList<>();
        vault.loadJson(keys.matches()).forEach(json -> entries.add(new RawEntry(json, false)));
        vault.loadJson(keys.included()).forEach(json -> entries.add(new RawEntry(json, true)));
        return entries;
    }

    /** One entry of a page: a stored resource, matched or included. */
    record RawEntry(RecordVault.StoredJson resource, boolean included) {}

    private record PageKeys(List<Long> matches, List<Long> included) {}

    private PageKeys keys(int fromIndex, int toIndex) {
        List<Long> page = pks.subList(Math.min(fromIndex, pks.size()), Math.min(toIndex, pks.size()));
        if (includes.isEmpty() || page.isEmpty()) {
            return new PageKeys(page, List.of());
        }
        Set<Long> seen = new HashSet<>(page);
        List<Long> extra = new ArrayList<>();
        for (Includes.Spec spec : includes.includes()) {
            vault.referencedBy(page, type, spec.param(), spec.targetType()).stream()
                    .filter(seen::add)
                    .forEach(extra::add);
        }
        for (Includes.Spec spec : includes.revincludes()) {
            vault.referencing(page, spec.sourceType(), spec.param()).stream()
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
