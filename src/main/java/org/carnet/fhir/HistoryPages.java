package org.carnet.fhir;

import ca.uhn.fhir.model.api.ResourceMetadataKeyEnum;
import ca.uhn.fhir.model.valueset.BundleEntryTransactionMethodEnum;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.carnet.record.HistoryEntry;
import org.carnet.record.RecordHistory;
import org.carnet.record.RecordReads;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.InstantType;

/** A history listing whose versions are loaded page by page; a deletion appears as a DELETE entry. */
final class HistoryPages implements IBundleProvider {

    private final RecordReads vault;
    private final RecordHistory history;
    private final List<HistoryEntry> entries;
    private final InstantType published = InstantType.now();

    HistoryPages(RecordReads vault, RecordHistory history, List<HistoryEntry> entries) {
        this.vault = vault;
        this.history = history;
        this.entries = List.copyOf(entries);
    }

    @Override
    public IPrimitiveType<Date> getPublished() {
        return published;
    }

    @Override
    public List<IBaseResource> getResources(int fromIndex, int toIndex) {
        List<HistoryEntry> page =
                entries.subList(Math.min(fromIndex, entries.size()), Math.min(toIndex, entries.size()));
        List<IBaseResource> resources = new ArrayList<>();
        // The listing was made earlier; what the caller may see is decided again now (a revocation applies).
        java.util.Set<Long> visible = vault.visible(
                page.stream().map(HistoryEntry::pk).collect(java.util.stream.Collectors.toSet()),
                CurrentAccess.visibility());
        page = page.stream().filter(e -> visible.contains(e.pk())).toList();
        java.util.Map<String, String> patients = new java.util.HashMap<>();
        page.forEach(e -> patients.put(e.pk() + "/" + e.version(), e.patientId()));
        List<RecordHistory.Version> versions = history.loadVersions(page);
        for (RecordHistory.Version version : versions) {
            IBaseResource loaded = version.resource();
            CurrentAccess.disclose(
                    loaded.fhirType(),
                    loaded.getIdElement().getIdPart(),
                    patients.get(version.pk() + "/" + loaded.getIdElement().getVersionIdPart()));
        }
        for (RecordHistory.Version version : versions) {
            if (version.deleted()) {
                ResourceMetadataKeyEnum.DELETED_AT.put(
                        version.resource(),
                        new InstantType(version.resource().getMeta().getLastUpdated()));
                ResourceMetadataKeyEnum.ENTRY_TRANSACTION_METHOD.put(
                        version.resource(), BundleEntryTransactionMethodEnum.DELETE);
            }
            resources.add(version.resource());
        }
        return resources;
    }

    @Override
    public @org.jspecify.annotations.Nullable String getUuid() {
        return null;
    }

    @Override
    public @org.jspecify.annotations.Nullable Integer preferredPageSize() {
        return null;
    }

    @Override
    public Integer size() {
        return entries.size();
    }
}
