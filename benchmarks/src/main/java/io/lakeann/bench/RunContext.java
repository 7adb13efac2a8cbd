package io.lakeann.bench;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Everything an {@link Engine} needs for one run: the flags, the data and its ground truth, a way
 * to print JSON lines other than results, and the notes that go under the run's doc section.
 */
record RunContext(CoreOptions options, Dataset dataset, GroundTruth truth, RunInfo info,
    Consumer<Map<String, Object>> print, List<String> notes) {}
