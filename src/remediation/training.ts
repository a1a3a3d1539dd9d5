import { ancestry, type CweKnowledge } from './cwe.js';

/**
 * Training material by CWE, a mapping we maintain: the OWASP Top 10 (2021) category whose CWE list holds the
 * weakness (from owasp.org/Top10, each category's "List of Mapped CWEs") and the OWASP Cheat Sheet Series pages that
 * teach its fix. A weakness not listed inherits from its nearest listed ancestor in the Research view.
 */
export interface TopTenCategory {
  id: string;
  name: string;
  url: string;
}

export interface Training {
  topTen: TopTenCategory | null;
  cheatSheets: { title: string; url: string }[];
  /** The CWE the mapping was found on (the weakness itself or an ancestor). */
  via: string | null;
}

const TOP_TEN: Record<string, { name: string; slug: string; cwes: number[] }> = {
  'A01:2021': { name: 'Broken Access Control', slug: 'A01_2021-Broken_Access_Control', cwes: [22, 23, 35, 59, 200, 201, 219, 264, 275, 276, 284, 285, 352, 359, 377, 402, 425, 441, 497, 538, 540, 548, 552, 566, 601, 639, 651, 668, 706, 862, 863, 913, 922, 1275] },
  'A02:2021': { name: 'Cryptographic Failures', slug: 'A02_2021-Cryptographic_Failures', cwes: [261, 296, 310, 319, 321, 322, 323, 324, 325, 326, 327, 328, 329, 330, 331, 335, 336, 337, 338, 340, 347, 523, 720, 757, 759, 760, 780, 818, 916] },
  'A03:2021': { name: 'Injection', slug: 'A03_2021-Injection', cwes: [20, 74, 75, 77, 78, 79, 80, 83, 87, 88, 89, 90, 91, 93, 94, 95, 96, 97, 98, 99, 100, 113, 116, 138, 184, 470, 471, 564, 610, 643, 644, 652, 917] },
  'A04:2021': { name: 'Insecure Design', slug: 'A04_2021-Insecure_Design', cwes: [73, 183, 209, 213, 235, 256, 257, 266, 269, 280, 311, 312, 313, 316, 419, 430, 434, 444, 451, 472, 501, 522, 525, 539, 579, 598, 602, 642, 646, 650, 653, 656, 657, 799, 807, 840, 841, 927, 1021, 1173] },
  'A05:2021': { name: 'Security Misconfiguration', slug: 'A05_2021-Security_Misconfiguration', cwes: [2, 11, 13, 15, 16, 260, 315, 520, 526, 537, 541, 547, 611, 614, 756, 776, 942, 1004, 1032, 1174] },
  'A06:2021': { name: 'Vulnerable and Outdated Components', slug: 'A06_2021-Vulnerable_and_Outdated_Components', cwes: [937, 1035, 1104] },
  'A07:2021': { name: 'Identification and Authentication Failures', slug: 'A07_2021-Identification_and_Authentication_Failures', cwes: [255, 259, 287, 288, 290, 294, 295, 297, 300, 302, 304, 306, 307, 346, 384, 521, 613, 620, 640, 798, 940, 1216] },
  'A08:2021': { name: 'Software and Data Integrity Failures', slug: 'A08_2021-Software_and_Data_Integrity_Failures', cwes: [345, 353, 426, 494, 502, 565, 784, 829, 830, 915] },
  'A09:2021': { name: 'Security Logging and Monitoring Failures', slug: 'A09_2021-Security_Logging_and_Monitoring_Failures', cwes: [117, 223, 532, 778] },
  'A10:2021': { name: 'Server-Side Request Forgery (SSRF)', slug: 'A10_2021-Server-Side_Request_Forgery_%28SSRF%29', cwes: [918] },
};

const SHEETS: Record<string, number[]> = {
  Cross_Site_Scripting_Prevention: [79, 80, 83, 87],
  DOM_based_XSS_Prevention: [79],
  SQL_Injection_Prevention: [89, 564],
  Query_Parameterization: [89],
  OS_Command_Injection_Defense: [77, 78, 88],
  Injection_Prevention: [74, 90, 91, 94, 95, 643, 652, 917],
  LDAP_Injection_Prevention: [90],
  Input_Validation: [20, 22, 23, 35, 184, 1287],
  'Cross-Site_Request_Forgery_Prevention': [352],
  Deserialization: [502],
  XML_External_Entity_Prevention: [611, 776],
  Server_Side_Request_Forgery_Prevention: [918],
  Unvalidated_Redirects_and_Forwards: [601],
  Cryptographic_Storage: [310, 311, 312, 326, 327, 328, 330, 338],
  Password_Storage: [256, 257, 759, 760, 916],
  Secrets_Management: [259, 321, 798],
  Authentication: [287, 306, 307, 521],
  Session_Management: [384, 613, 614, 1004],
  Authorization: [284, 285, 639, 862, 863],
  File_Upload: [434],
  Logging: [117, 532, 778],
  Error_Handling: [200, 209, 550],
  Transport_Layer_Security: [295, 319, 757],
  Clickjacking_Defense: [1021],
  Vulnerable_Dependency_Management: [937, 1035, 1104],
  Mass_Assignment: [915],
  Denial_of_Service: [400, 770, 1333],
  Prototype_Pollution_Prevention: [1321],
};

const sheetTitle = (key: string) => `${key.replace(/_/g, ' ')} Cheat Sheet`;

/** Training for a CWE: its own mapping, else its nearest mapped ancestor's. */
export function trainingFor(knowledge: CweKnowledge, cwe: string): Training {
  for (const id of ancestry(knowledge, cwe)) {
    const n = Number(id);
    const top = Object.entries(TOP_TEN).find(([, c]) => c.cwes.includes(n));
    const sheets = Object.entries(SHEETS).filter(([, cwes]) => cwes.includes(n));
    if (!top && sheets.length === 0) continue;
    return {
      topTen: top ? { id: top[0], name: top[1].name, url: `https://owasp.org/Top10/${top[1].slug}/` } : null,
      cheatSheets: sheets.map(([key]) => ({ title: sheetTitle(key), url: `https://cheatsheetseries.owasp.org/cheatsheets/${key}_Cheat_Sheet.html` })),
      via: id,
    };
  }
  return { topTen: null, cheatSheets: [], via: null };
}
