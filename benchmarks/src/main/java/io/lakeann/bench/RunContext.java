package io.lakeann.bench;

/** Everything an {@link Engine} needs for one run: the flags, the data and its ground truth. */
record RunContext(CoreOptions options, Dataset dataset, GroundTruth truth, RunInfo info) {}
