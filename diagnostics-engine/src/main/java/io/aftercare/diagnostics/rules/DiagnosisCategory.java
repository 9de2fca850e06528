package io.aftercare.diagnostics.rules;

/**
 * The first decision a technician makes about a problem, per the after-sales standards: is it the
 * hardware, the software, the installation/environment, or the connection.
 */
public enum DiagnosisCategory {
  DEVICE_FAULT,
  SOFTWARE,
  INSTALLATION_ENVIRONMENT,
  CONNECTIVITY
}
