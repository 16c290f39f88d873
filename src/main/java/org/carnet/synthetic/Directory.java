package org.carnet.synthetic;

import java.util.Map;

/** The professionals and organisations a generated data set refers to, by key. */
record Directory(Map<String, Model.Professional> professionals, Map<String, Model.Organisation> organisations) {

    Model.@org.jspecify.annotations.Nullable Professional professional(String key) {
        return professionals.get(key);
    }

    Model.@org.jspecify.annotations.Nullable Organisation organisation(String key) {
        return organisations.get(key);
    }
}
