package org.carnet.synthetic;

import java.math.BigDecimal;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Range;
import org.hl7.fhir.r4.model.Resource;

/**
 * What base R4 validation of a resource depends on, and nothing else: two resources of the same shape get the same
 * verdict, so validating one resource of each shape validates them all.
 *
 * <p>The shape keeps every element's path, order and repetition (structure, cardinality, choice types, invariants on
 * presence); every {@code code}, {@code uri}, {@code canonical} and {@code boolean} value and every Coding's display
 * (bindings, display checks, invariants on codes); the type a reference points to; the layout of dates (precision,
 * offset) and the sign of numbers; and whether a Period ends after it starts and a Range's low is below its high, the
 * base invariants that compare values (per-1, rng-2). It drops what no base rule reads: the text of strings (only
 * whether one is blank or padded), the digits of dates and numbers, and ids and attachment bytes (only whether they
 * are well-formed). A primitive type not listed here is kept whole.
 */
final class ResourceShape {

    private ResourceShape() {}

    static String of(Resource resource) {
        StringBuilder shape = new StringBuilder();
        walk(resource, resource.fhirType(), shape);
        return shape.toString();
    }

    private static void walk(Base element, String path, StringBuilder shape) {
        if (element instanceof Period period && period.hasStart() && period.hasEnd()) {
            shape.append(path)
                    .append(" ordered=")
                    .append(!period.getStart().after(period.getEnd()))
                    .append(';');
        }
        if (element instanceof Range range
                && range.getLow().hasValue()
                && range.getHigh().hasValue()) {
            shape.append(path)
                    .append(" ordered=")
                    .append(range.getLow().getValue().compareTo(range.getHigh().getValue()) <= 0)
                    .append(';');
        }
        if (element.isPrimitive()) {
            shape.append(path)
                    .append('=')
                    .append(token(element.fhirType(), path, element.primitiveValue()))
                    .append(';');
            return;
        }
        for (Property property : element.children()) {
            for (Base child : property.getValues()) {
                walk(child, path + "." + property.getName() + ":" + child.fhirType(), shape);
            }
        }
    }

    private static boolean base64(String value) {
        try {
            java.util.Base64.getDecoder().decode(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String token(String type, String path, String value) {
        if (value == null) {
            return "(none)";
        }
        return switch (type) {
            case "code", "uri", "url", "canonical", "oid", "uuid", "boolean" -> value;
            case "string", "markdown" -> {
                if (path.endsWith(".display:string")) {
                    yield value;
                }
                if (path.endsWith(".reference:string")) {
                    yield value.contains("/") ? value.substring(0, value.indexOf('/')) + "/…" : "(local)";
                }
                yield value.isBlank() ? "(blank)" : value.equals(value.strip()) ? "(text)" : "(padded text)";
            }
            case "date", "dateTime", "instant", "time" -> value.replaceAll("[0-9]", "9");
            case "decimal", "integer", "integer64", "positiveInt", "unsignedInt" -> {
                BigDecimal number = new BigDecimal(value);
                yield type + (number.signum() < 0 ? "<0" : number.signum() == 0 ? "=0" : ">0");
            }
            case "id" -> value.matches("[A-Za-z0-9\\-.]{1,64}") ? "id" : "(malformed id)";
            case "base64Binary" -> base64(value) ? "base64Binary" : "(malformed base64Binary)";
            default -> type + "?" + value; // a type the generator did not use so far: kept whole, to be safe
        };
    }
}
