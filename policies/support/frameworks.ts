import { FrameworkMappings } from "../../core/policy";

/**
 * Framework references reused across policies, so one mapping is written once. Each names the
 * SOC 2 criterion, HIPAA Security Rule section, ISO/IEC 27001:2022 Annex A control or PCI DSS
 * v4.0 requirement the policy gives evidence for.
 */
export const frameworks = {
  teammateAuthentication: {
    soc2: ["CC6.1"],
    hipaa: ["164.312(d)"],
    iso27001: ["A.5.17", "A.8.5"],
    pciDss: ["8.3.1", "8.4.2"],
  },
  sessionManagement: {
    soc2: ["CC6.1"],
    hipaa: ["164.312(a)(2)(iii)"],
    iso27001: ["A.8.5"],
    pciDss: ["8.2.8"],
  },
  networkRestriction: {
    soc2: ["CC6.1", "CC6.6"],
    hipaa: ["164.312(a)(1)"],
    iso27001: ["A.8.20", "A.8.3"],
    pciDss: ["1.4.1"],
  },
  customerAuthentication: {
    soc2: ["CC6.1", "CC6.6"],
    hipaa: ["164.312(d)", "164.312(a)(1)"],
    iso27001: ["A.5.16", "A.8.5"],
  },
  secretManagement: {
    soc2: ["CC6.1"],
    iso27001: ["A.5.17", "A.8.24"],
    pciDss: ["8.6.3"],
  },
  dataLeakage: {
    soc2: ["CC6.7", "C1.1"],
    hipaa: ["164.312(e)(1)", "164.514(d)"],
    iso27001: ["A.8.12"],
  },
  cardholderData: {
    soc2: ["CC6.7", "C1.1"],
    iso27001: ["A.8.11", "A.8.12"],
    pciDss: ["3.3.1", "3.4.1", "3.5.1"],
  },
  malwareProtection: {
    soc2: ["CC6.8"],
    hipaa: ["164.308(a)(5)(ii)(B)"],
    iso27001: ["A.8.7"],
    pciDss: ["5.2.1"],
  },
  dataIntegrity: {
    soc2: ["CC6.1", "PI1.3"],
    hipaa: ["164.312(c)(1)"],
    iso27001: ["A.8.3", "A.8.26"],
  },
  transmission: {
    soc2: ["CC6.7"],
    hipaa: ["164.312(e)(1)"],
    iso27001: ["A.8.20", "A.8.24"],
    pciDss: ["4.2.1"],
  },
  outboundRequests: {
    soc2: ["CC6.6", "CC6.7"],
    hipaa: ["164.312(e)(1)"],
    iso27001: ["A.8.20", "A.8.26"],
    pciDss: ["6.2.4"],
  },
  changeManagement: {
    soc2: ["CC8.1"],
    iso27001: ["A.8.32", "A.8.29"],
    pciDss: ["6.5.1"],
  },
  configurationManagement: {
    soc2: ["CC7.1", "CC8.1"],
    iso27001: ["A.8.9"],
  },
  incidentContact: {
    soc2: ["CC7.3", "CC2.3"],
    hipaa: ["164.308(a)(6)(i)"],
    iso27001: ["A.5.24", "A.5.5"],
    pciDss: ["12.10.1"],
  },
  businessAssociate: {
    soc2: ["CC9.2"],
    hipaa: ["164.308(b)(1)", "164.502(e)", "164.504(e)"],
    iso27001: ["A.5.19", "A.5.20"],
  },
  consent: {
    soc2: ["P2.1", "P3.1"],
    hipaa: ["164.502(a)", "164.514(d)"],
    iso27001: ["A.5.34"],
  },
  minimumNecessary: {
    soc2: ["P3.1", "C1.1"],
    hipaa: ["164.502(b)", "164.514(d)"],
    iso27001: ["A.5.34", "A.8.12"],
  },
} satisfies Record<string, FrameworkMappings>;
