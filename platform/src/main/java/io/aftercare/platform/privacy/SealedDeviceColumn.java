package io.aftercare.platform.privacy;

/**
 * The personal fields of {@code devices} kept sealed at rest, each with the blind-index column its
 * equality filter matches (V92, V93; docs/privacy.md).
 */
public enum SealedDeviceColumn {
  CUSTOMER_REF("customer_ref", "customer_ref_index"),
  HOME_ID("home_id", "home_id_index");

  private final String column;
  private final String indexColumn;

  SealedDeviceColumn(String column, String indexColumn) {
    this.column = column;
    this.indexColumn = indexColumn;
  }

  public String column() {
    return column;
  }

  public String indexColumn() {
    return indexColumn;
  }
}
