package org.carnet.record;

import java.util.Set;

/**
 * A search parameter Carnet indexes and answers.
 *
 * @param name the parameter's name, e.g. {@code code}
 * @param kind how it is compared
 * @param targets for a reference parameter, the resource types it may point to
 * @param description what it searches, as defined by FHIR R4
 */
public record SearchParam(String name, SearchParamKind kind, Set<String> targets, String description) {}
