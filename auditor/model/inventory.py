"""The inventory: an organisation (province or ministry), its agencies and their systems.

Field names are English; descriptions carry the Vietnamese legal term so `auditor schema`
helps people who think in the regulation's words. Everything is frozen and rejects unknown
fields: a misspelt key in an inventory is an error, never silently ignored.

The models live in one module per part of the inventory; every public name is importable
from here as well:

- `addresses`: host names, URLs, ports, IP addresses and networks, validated at load time;
- `classification`: what a system is classified by (type, information, scale, criteria);
- `dossier`: the level dossier and its approval, the security plan, attestations, waivers;
- `protection`: assessments, the four-layer model, malware protection, incident response,
  trained operators;
- `design`: network zones and security solutions;
- `hosts`: hosting, hosts, endpoints, certificates and the local certificate policy;
- `system`: the system itself, what it inherits (defaults, policy), lifecycle and regime;
- `organisation`: the organisation, its agencies, their staff and budget, the inventory.
"""

from __future__ import annotations

from auditor.model.addresses import Hostname, IPv4, IPv6, Network, Port, Url
from auditor.model.classification import (
    ClassificationAttributes,
    Component,
    Harm,
    IcsGrade,
    InfoType,
    InfraScope,
    PublicServiceLevel,
    SystemType,
)
from auditor.model.design import Design, DesignRole, Solution, SolutionKind, SolutionName, Zone
from auditor.model.dossier import (
    Attestation,
    Authority,
    Decision,
    Deployment,
    DossierComponent,
    DossierStatus,
    LevelDossier,
    SecurityPlan,
    Waiver,
)
from auditor.model.hosts import (
    CertificateRef,
    DnsPolicy,
    Endpoint,
    EndpointKind,
    Host,
    Hosting,
    Separation,
    TlsPolicy,
)
from auditor.model.organisation import (
    Agency,
    BodyFacts,
    Budget,
    Inventory,
    Organisation,
    Project,
    SecurityUnit,
    StaffFigures,
)
from auditor.model.protection import (
    Assessment,
    AssessmentResult,
    FourLayer,
    IncidentResponse,
    Layer1,
    Layer2,
    Layer3,
    Layer4,
    MalwareProtection,
    OperatorTraining,
)
from auditor.model.system import (
    Lifecycle,
    Policy,
    PreGoLiveAssessment,
    Regime,
    System,
    SystemDefaults,
    SystemDomain,
)

__all__ = [
    "Agency",
    "Assessment",
    "AssessmentResult",
    "Attestation",
    "Authority",
    "BodyFacts",
    "Budget",
    "CertificateRef",
    "ClassificationAttributes",
    "Component",
    "Decision",
    "Deployment",
    "Design",
    "DesignRole",
    "DnsPolicy",
    "DossierComponent",
    "DossierStatus",
    "Endpoint",
    "EndpointKind",
    "FourLayer",
    "Harm",
    "Host",
    "Hosting",
    "Hostname",
    "IPv4",
    "IPv6",
    "IcsGrade",
    "IncidentResponse",
    "InfoType",
    "InfraScope",
    "Inventory",
    "Layer1",
    "Layer2",
    "Layer3",
    "Layer4",
    "LevelDossier",
    "Lifecycle",
    "MalwareProtection",
    "Network",
    "OperatorTraining",
    "Organisation",
    "Policy",
    "Port",
    "PreGoLiveAssessment",
    "Project",
    "PublicServiceLevel",
    "Regime",
    "SecurityPlan",
    "SecurityUnit",
    "Separation",
    "Solution",
    "SolutionKind",
    "SolutionName",
    "StaffFigures",
    "System",
    "SystemDefaults",
    "SystemDomain",
    "SystemType",
    "TlsPolicy",
    "Url",
    "Waiver",
    "Zone",
]
