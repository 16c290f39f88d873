/**
 * The vault: every patient's FHIR resources, versioned, in PostgreSQL, each filed under the patient whose compartment
 * it belongs to, with its search-index rows. {@link org.carnet.record.RecordWrites} is the one way to write (FHIR
 * Bundles through {@link org.carnet.record.Transactions}); every unit passes through the modules' rules
 * ({@link org.carnet.record.UnitRules}, {@link org.carnet.record.ResourceRules}). {@link org.carnet.record.RecordReads}
 * reads and searches, {@link org.carnet.record.RecordHistory} tells the versions, {@link org.carnet.record.Everything}
 * gathers a patient's whole record. Depends on no other module.
 */
@org.springframework.modulith.ApplicationModule(
        displayName = "Record",
        allowedDependencies = {})
@org.jspecify.annotations.NullMarked
package org.carnet.record;
