package org.carnet.record;

import java.util.List;

/**
 * Compiles a {@link Visibility} into a SQL condition on one alias of the resource table, with bind values. Labels
 * and document types are read from the search-index rows of the resource itself ({@code _security}, {@code type},
 * {@code author}), so the condition costs a few index probes per candidate row.
 */
final class VisibilitySql {

    private VisibilitySql() {}

    /** A condition that holds exactly for the rows of {@code alias} the caller may see. */
    static String condition(Visibility visibility, String alias, List<Object> args) {
        if (visibility.unrestricted()) {
            return "true";
        }
        StringBuilder sql = new StringBuilder("(");
        if (visibility.sharedTypes().isEmpty()) {
            sql.append("false");
        } else {
            sql.append('(').append(alias).append(".patient_id is null and ").append(alias).append(".res_type = any(?))");
            args.add(visibility.sharedTypes().toArray(String[]::new));
        }
        for (Visibility.Grant grant : visibility.grants()) {
            if (grant.patients() == null) {
                sql.append(" or (").append(alias).append(".patient_id is not null");
            } else {
                sql.append(" or (").append(alias).append(".patient_id = any(?)");
                args.add(grant.patients().toArray(String[]::new));
            }
            if (grant.types() != null) {
                sql.append(" and ").append(alias).append(".res_type = any(?)");
                args.add(grant.types().toArray(String[]::new));
            }
            if (grant.documentTypes() != null) {
                sql.append(" and (").append(alias).append(".res_type <> 'DocumentReference' or exists (select 1 from")
                        .append(" idx_token dt where dt.pk = ").append(alias)
                        .append(".pk and dt.param = 'type' and dt.code = any(?)))");
                args.add(grant.documentTypes().toArray(String[]::new));
            }
            if (!grant.excludedDocumentTypes().isEmpty()) {
                sql.append(" and not exists (select 1 from idx_token xt where xt.pk = ").append(alias)
                        .append(".pk and xt.param = 'type' and xt.code = any(?) and ").append(alias)
                        .append(".res_type = 'DocumentReference')");
                args.add(grant.excludedDocumentTypes().toArray(String[]::new));
            }
            if (!grant.hiddenLabels().isEmpty()) {
                sql.append(" and (not exists (select 1 from idx_token sl where sl.pk = ").append(alias)
                        .append(".pk and sl.param = '_security' and sl.code = any(?))");
                args.add(grant.hiddenLabels().toArray(String[]::new));
                if (!grant.exemptAuthors().isEmpty()) {
                    sql.append(" or exists (select 1 from idx_reference au where au.pk = ").append(alias)
                            .append(".pk and au.param = 'author' and au.target_type = 'Practitioner'")
                            .append(" and au.target_id = any(?))");
                    args.add(grant.exemptAuthors().toArray(String[]::new));
                }
                sql.append(')');
            }
            sql.append(')');
        }
        return sql.append(')').toString();
    }
}
