/**
 * The vault: every patient's FHIR resources, versioned, in PostgreSQL. {@link org.carnet.record.RecordReads}
 * is the one way in: it writes resources whole with their search-index rows and the patient whose
 * compartment they belong to, reads them back, searches them and tells their history.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Record")
package org.carnet.record;
