package org.carnet.record;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.DateTimeType;

/**
 * Compiles a {@link SearchQuery} into one SQL statement over the resource table and the typed index
 * tables. Every value is a bind parameter. A criterion on the owning-patient parameter ({@code patient=X})
 * becomes a condition on the compartment column, and is passed down into the index look-ups so that a
 * patient-scoped search reads only that patient's index rows.
 */
final class SearchSql {

    private static final List<String> DATE_PREFIXES = List.of("eq", "ne", "gt", "lt", "ge", "le", "sa", "eb", "ap");

    private final SearchParameters parameters;
    private final Clock clock;

    SearchSql(SearchParameters parameters, Clock clock) {
        this.parameters = parameters;
        this.clock = clock;
    }

    /** SQL text and its bind values. */
    record Statement(String sql, List<Object> args) {}

    Statement compile(SearchQuery query, int limit) {
        return compile(query, limit, Visibility.UNRESTRICTED);
    }

    /** The search, confined to what {@code visibility} shows. */
    Statement compile(SearchQuery query, int limit, Visibility visibility) {
        String type = query.type();
        Map<String, SearchParameters.Compiled> params = parameters.of(type);
        Optional<String> ownerParam = parameters.ownerParam(type);
        List<Object> args = new ArrayList<>();
        StringBuilder where = new StringBuilder("r.res_type = ? and not r.deleted");
        args.add(type);

        String patient = patientScope(query, type, ownerParam);
        if (patient != null) {
            where.append(" and r.patient_id = ?");
            args.add(patient);
        }
        for (Criterion criterion : query.criteria()) {
            if (patient != null && isOwnerCriterion(criterion, type, ownerParam)) {
                continue;
            }
            where.append(" and ");
            switch (criterion.param()) {
                case "_id" -> idCriterion(criterion, where, args);
                case "_lastUpdated" -> lastUpdatedCriterion(criterion, where, args);
                default -> {
                    SearchParameters.Compiled compiled = params.get(criterion.param());
                    if (compiled == null) {
                        throw new InvalidRequestException(
                                "Unknown search parameter '" + criterion.param() + "' for " + type);
                    }
                    indexCriterion(type, patient, compiled.param(), criterion, where, args);
                }
            }
        }
        if (!visibility.unrestricted()) {
            where.append(" and ").append(VisibilitySql.condition(visibility, "r", args, patient));
        }
        String order = orderBy(query, params, args);
        args.add(limit);
        return new Statement("select r.pk from resource r where " + where + " order by " + order + " limit ?", args);
    }

    /** The patient a search is confined to, when it names exactly one through the owner parameter. */
    private static @org.jspecify.annotations.Nullable String patientScope(
            SearchQuery query, String type, Optional<String> ownerParam) {
        if ("Patient".equals(type)) {
            return null;
        }
        for (Criterion criterion : query.criteria()) {
            if (isOwnerCriterion(criterion, type, ownerParam)
                    && criterion.values().size() == 1) {
                return patientIdOf(criterion.values().get(0));
            }
        }
        return null;
    }

    private static boolean isOwnerCriterion(Criterion criterion, String type, Optional<String> ownerParam) {
        return ownerParam.isPresent()
                && ownerParam.get().equals(criterion.param())
                && "patient".equals(criterion.param())
                && (criterion.modifier() == null || "Patient".equals(criterion.modifier()))
                && criterion.values().size() == 1;
    }

    private static String patientIdOf(String value) {
        String id = value.startsWith("Patient/") ? value.substring("Patient/".length()) : value;
        if (!References.isValidId(id)) {
            throw new InvalidRequestException("Invalid patient reference '" + value + "'");
        }
        return id;
    }

    private static void idCriterion(Criterion criterion, StringBuilder where, List<Object> args) {
        requireNoModifier(criterion, "not");
        where.append("not ".repeat("not".equals(criterion.modifier()) ? 1 : 0)).append("r.res_id = any(?)");
        args.add(criterion.values().toArray(String[]::new));
    }

    private void lastUpdatedCriterion(Criterion criterion, StringBuilder where, List<Object> args) {
        requireNoModifier(criterion);
        where.append('(');
        for (int i = 0; i < criterion.values().size(); i++) {
            where.append(i == 0 ? "" : " or ");
            dateCondition(criterion.values().get(i), "r.last_updated", "r.last_updated", where, args);
        }
        where.append(')');
    }

    private void indexCriterion(
            String type,
            @org.jspecify.annotations.Nullable String patient,
            SearchParam param,
            Criterion criterion,
            StringBuilder where,
            List<Object> args) {
        String table = switch (param.kind()) {
            case TOKEN, URI -> "idx_token";
            case STRING -> "idx_string";
            case DATE -> "idx_date";
            case REFERENCE -> "idx_reference";
        };
        String modifier = criterion.modifier();
        if ("missing".equals(modifier)) {
            boolean missing = missingValue(criterion);
            where.append(missing ? "not " : "")
                    .append("exists (select 1 from ")
                    .append(table)
                    .append(" m where m.pk = r.pk and m.param = ?)");
            args.add(param.name());
            return;
        }
        boolean negated = "not".equals(modifier) && param.kind() == SearchParamKind.TOKEN;
        where.append(negated ? "r.pk not in" : "r.pk in")
                .append(" (select x.pk from ")
                .append(table)
                .append(" x where x.res_type = ? and x.param = ?");
        args.add(type);
        args.add(param.name());
        if (patient != null) {
            where.append(" and x.patient_id = ?");
            args.add(patient);
        }
        where.append(" and (");
        for (int i = 0; i < criterion.values().size(); i++) {
            where.append(i == 0 ? "" : " or ");
            String value = criterion.values().get(i);
            switch (param.kind()) {
                case TOKEN, URI -> tokenCondition(param, modifier, value, where, args);
                case STRING -> stringCondition(param, modifier, value, where, args);
                case DATE -> {
                    requireNoModifier(criterion);
                    dateCondition(value, "x.low", "x.high", where, args);
                }
                case REFERENCE -> referenceCondition(param, modifier, value, where, args);
            }
        }
        where.append("))");
    }

    private static boolean missingValue(Criterion criterion) {
        String value = criterion.values().size() == 1 ? criterion.values().get(0) : "";
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default ->
                throw new InvalidRequestException(
                        "Parameter '" + criterion.param() + ":missing' takes true or false, not '" + value + "'");
        };
    }

    private static void tokenCondition(
            SearchParam param,
            @org.jspecify.annotations.Nullable String modifier,
            String value,
            StringBuilder where,
            List<Object> args) {
        if (modifier != null && !"not".equals(modifier)) {
            throw unsupportedModifier(param.name(), modifier);
        }
        int bar = value.indexOf('|');
        if (bar < 0 || param.kind() == SearchParamKind.URI) {
            where.append("x.code = ?");
            args.add(value);
            return;
        }
        String system = value.substring(0, bar);
        String code = value.substring(bar + 1);
        if (code.isEmpty()) {
            where.append("x.system = ?");
            args.add(system);
        } else if (system.isEmpty()) {
            where.append("(x.code = ? and x.system is null)");
            args.add(code);
        } else {
            where.append("(x.code = ? and x.system = ?)");
            args.add(code);
            args.add(system);
        }
    }

    private static void stringCondition(
            SearchParam param,
            @org.jspecify.annotations.Nullable String modifier,
            String value,
            StringBuilder where,
            List<Object> args) {
        if (modifier == null) {
            where.append("x.normalized like ?");
            args.add(escapeLike(Text.normalize(value)) + "%");
        } else if ("exact".equals(modifier)) {
            where.append("x.exact = ?");
            args.add(value);
        } else if ("contains".equals(modifier)) {
            where.append("x.normalized like ?");
            args.add("%" + escapeLike(Text.normalize(value)) + "%");
        } else {
            throw unsupportedModifier(param.name(), modifier);
        }
    }

    private static void referenceCondition(
            SearchParam param,
            @org.jspecify.annotations.Nullable String modifier,
            String value,
            StringBuilder where,
            List<Object> args) {
        String targetType = null;
        String id = value;
        int slash = value.lastIndexOf('/');
        if (slash >= 0) {
            var local = References.parseLocal(value.substring(Math.max(0, value.lastIndexOf('/', slash - 1) + 1)));
            if (local.isEmpty()) {
                throw new InvalidRequestException(
                        "Invalid reference '" + value + "' for parameter '" + param.name() + "'");
            }
            targetType = local.get().type();
            id = local.get().id();
        }
        if (modifier != null) {
            if (!param.targets().contains(modifier)) {
                throw unsupportedModifier(param.name(), modifier);
            }
            if (targetType != null && !targetType.equals(modifier)) {
                throw new InvalidRequestException("Reference '" + value + "' contradicts the modifier :" + modifier);
            }
            targetType = modifier;
        }
        if (!References.isValidId(id)) {
            throw new InvalidRequestException("Invalid reference '" + value + "' for parameter '" + param.name() + "'");
        }
        where.append("(x.target_id = ?");
        args.add(id);
        if (targetType != null) {
            where.append(" and x.target_type = ?");
            args.add(targetType);
        }
        where.append(')');
    }

    /**
     * FHIR R4 date comparison between the search value's period [lo, hi) and a stored period [low, high).
     */
    private void dateCondition(String raw, String low, String high, StringBuilder where, List<Object> args) {
        String prefix = "eq";
        String value = raw;
        if (raw.length() > 2 && DATE_PREFIXES.contains(raw.substring(0, 2))) {
            prefix = raw.substring(0, 2);
            value = raw.substring(2);
        }
        DateTimeType date;
        try {
            date = new DateTimeType(value);
        } catch (RuntimeException e) {
            throw new InvalidRequestException("Invalid date '" + raw + "': expected e.g. 2024, 2024-05, 2024-05-17"
                    + " or 2024-05-17T10:00:00+02:00, optionally prefixed by eq, ne, gt, lt, ge, le, sa, eb or ap");
        }
        Timestamp lo = Timestamp.from(FhirDates.low(date));
        Timestamp hi = Timestamp.from(FhirDates.high(date));
        switch (prefix) {
            case "eq" -> bind(where, args, "(" + low + " >= ? and " + high + " <= ?)", lo, hi);
            case "ne" -> bind(where, args, "not (" + low + " >= ? and " + high + " <= ?)", lo, hi);
            case "gt" -> bind(where, args, high + " > ?", hi);
            case "lt" -> bind(where, args, low + " < ?", lo);
            case "ge" -> bind(where, args, high + " > ?", lo);
            case "le" -> bind(where, args, low + " < ?", hi);
            case "sa" -> bind(where, args, low + " >= ?", hi);
            case "eb" -> bind(where, args, high + " <= ?", lo);
            case "ap" -> {
                long margin = Math.max(86_400_000L, Math.abs(Instant.now(clock).toEpochMilli() - lo.getTime()) / 10);
                bind(
                        where,
                        args,
                        "(" + low + " < ? and " + high + " > ?)",
                        new Timestamp(hi.getTime() + margin),
                        new Timestamp(lo.getTime() - margin));
            }
            default -> throw new IllegalStateException(prefix);
        }
    }

    private static void bind(StringBuilder where, List<Object> args, String condition, Object... values) {
        where.append(condition);
        args.addAll(List.of(values));
    }

    private static String orderBy(SearchQuery query, Map<String, SearchParameters.Compiled> params, List<Object> args) {
        StringBuilder order = new StringBuilder();
        for (SearchQuery.SortKey key : query.sort()) {
            String direction = key.descending() ? " desc" : " asc";
            switch (key.param()) {
                case "_lastUpdated" -> order.append("r.last_updated").append(direction);
                case "_id" -> order.append("r.res_id").append(direction);
                default -> {
                    SearchParameters.Compiled compiled = params.get(key.param());
                    if (compiled == null || compiled.param().kind() != SearchParamKind.DATE) {
                        throw new InvalidRequestException("Cannot sort " + query.type() + " by '" + key.param()
                                + "': Carnet sorts by _lastUpdated, _id and date parameters");
                    }
                    order.append(
                                    key.descending()
                                            ? "(select max(d.high) from idx_date d where d.pk = r.pk and d.param = ?)"
                                            : "(select min(d.low) from idx_date d where d.pk = r.pk and d.param = ?)")
                            .append(direction)
                            .append(" nulls last");
                    args.add(key.param());
                }
            }
            order.append(", ");
        }
        return order.append("r.pk").toString();
    }

    private static String escapeLike(String value) {
        return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static void requireNoModifier(Criterion criterion, String... allowed) {
        if (criterion.modifier() != null && !List.of(allowed).contains(criterion.modifier())) {
            throw unsupportedModifier(criterion.param(), criterion.modifier());
        }
    }

    private static InvalidRequestException unsupportedModifier(String param, String modifier) {
        return new InvalidRequestException(
                "Modifier ':" + modifier + "' is not supported on parameter '" + param + "'");
    }
}
