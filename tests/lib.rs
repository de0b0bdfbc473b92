//! Empty library: the integration tests live in `integration/`, compiled as one test binary.
