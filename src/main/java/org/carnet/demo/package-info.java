/**
 * Demo data for a newcomer: at the first start of an empty store (property {@code carnet.demo.seed}, on by
 * default), a few fictitious French patients and their records are loaded from {@code classpath:demo/}.
 */
@org.springframework.modulith.ApplicationModule(
        displayName = "Demo data",
        allowedDependencies = {"access", "database", "record", "synthetic"})
@org.jspecify.annotations.NullMarked
package org.carnet.demo;
