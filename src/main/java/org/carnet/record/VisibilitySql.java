package org.carnet.record;

import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Compiles a {@link Visibility} into a SQL condition on one alias of the resource table, with bind values. Labels,
 * document types and authors are read from the row's own {@code access_tags} (V4__access_tags.sql), so the condition
 * needs no sub-query. Lists are tested with array containment ({@code array[x] <@ list}) rather than
 * {@code x = any(list)}, which for a professional's 100 patients cost 0.40 against 0.14 ms per statement (psql).
 * When the statement is already confined to one patient, grants of other patients drop out and the patient list of
 * the matching grant is not repeated.
 */
final class VisibilitySql {

    private VisibilitySql() {}

    /** A condition that holds exactly for the rows of {@code alias} the caller may see. */
    static String condition(Visibility visibility, String alias, List<Object> args) {
        return condition(visibility, alias, args, null);
    }

    /**
     * The same, for a statement that already requires {@code alias.patient_id = knownPatient} (null: no such
     * requirement).
     */
    static String condition(
            Visibility visibility,
            String alias,
            List<Object> args,
            @org.jspecify.annotations.Nullable String knownPatient) {
        if (visibility.unrestricted()) {
            return "true";
        }
        StringBuilder sql = new StringBuilder("(");
        boolean any = false;
        if (knownPatient == null && !visibility.sharedTypes().isEmpty()) {
            sql.append('(')
                    .append(alias)
                    .append(".patient_id is null and array[")
                    .append(alias)
                    .append(".res_type] <@ ?::text[])");
            args.add(visibility.sharedTypes().toArray(String[]::new));
            any = true;
        }
        for (Visibility.Grant grant : visibility.grants()) {
            if (knownPatient != null && !grant.opens(knownPatient)) {
                continue;
            }
            sql.append(any ? " or (" : "(");
            any = true;
            if (knownPatient != null) {
                sql.append("true");
            } else if (grant.patients() == null) {
                sql.append(alias).append(".patient_id is not null");
            } else {
                sql.append("array[").append(alias).append(".patient_id] <@ ?::text[]");
                args.add(grant.patients().toArray(String[]::new));
            }
            if (grant.types() != null) {
                sql.append(" and array[").append(alias).append(".res_type] <@ ?::text[]");
                args.add(grant.types().toArray(String[]::new));
            }
            if (grant.documentTypes() != null) {
                sql.append(" and (")
                        .append(alias)
                        .append(".res_type <> 'DocumentReference' or ")
                        .append(alias)
                        .append(".access_tags && ?::text[])");
                args.add(tags("doctype:", grant.documentTypes()));
            }
            if (!grant.excludedDocumentTypes().isEmpty()) {
                sql.append(" and not ").append(alias).append(".access_tags && ?::text[]");
                args.add(tags("doctype:", grant.excludedDocumentTypes()));
            }
            if (!grant.hiddenLabels().isEmpty()) {
                sql.append(" and (not ").append(alias).append(".access_tags && ?::text[]");
                args.add(tags("label:", grant.hiddenLabels()));
                if (!grant.exemptAuthors().isEmpty()) {
                    sql.append(" or ").append(alias).append(".access_tags && ?::text[]");
                    args.add(tags("author:", grant.exemptAuthors()));
                }
                sql.append(')');
            }
            sql.append(')');
        }
        return sql.append(any ? ")" : "false)").toString();
    }

    private static String[] tags(String prefix, Set<String> values) {
        Function<String, String> tag = v -> prefix + v;
        return values.stream().map(tag).sorted().toArray(String[]::new);
    }
}
