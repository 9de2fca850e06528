package io.aftercare.bridge;

/**
 * The data key of the service-desk transaction running on this thread: the stores seal the customer
 * references they write and open those they read with it (docs/privacy.md).
 *
 * <p>The stores are static SQL helpers called from some twenty classes inside the caller's
 * transaction; {@link Tx} binds the key for exactly the length of its transaction, so the key
 * travels with the transaction instead of through every signature, and a store used outside a
 * transaction fails loudly rather than writing clear text.
 */
final class DeskKey {

  private static final ThreadLocal<SealedText> BOUND = new ThreadLocal<>();

  private DeskKey() {}

  /** The key of the running transaction. */
  static SealedText current() {
    SealedText sealed = BOUND.get();
    if (sealed == null) {
      throw new IllegalStateException("customer references are sealed only inside a Tx");
    }
    return sealed;
  }

  /** Binds {@code sealed} until the returned scope closes, restoring any outer binding. */
  static Scope bind(SealedText sealed) {
    SealedText outer = BOUND.get();
    BOUND.set(sealed);
    return () -> {
      if (outer == null) {
        BOUND.remove();
      } else {
        BOUND.set(outer);
      }
    };
  }

  /** A binding to close; closing never fails. */
  interface Scope extends AutoCloseable {
    @Override
    void close();
  }
}
