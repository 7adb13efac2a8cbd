package io.lakeann.sql;

/** The vector functions' values for two vectors, computed in double precision as the oracle. */
record Reference(double dot, double l2Squared, double normA, double normB, double l1A,
    double infA) {

  static Reference of(float[] a, float[] b) {
    double dot = 0;
    double l2 = 0;
    double na = 0;
    double nb = 0;
    double l1 = 0;
    double inf = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      l2 += ((double) a[i] - b[i]) * ((double) a[i] - b[i]);
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
      l1 += Math.abs((double) a[i]);
      inf = Math.max(inf, Math.abs((double) a[i]));
    }
    return new Reference(dot, l2, Math.sqrt(na), Math.sqrt(nb), l1, inf);
  }

  double cosine() {
    return dot / (normA * normB);
  }
}
