import { tableLayout } from '@creditgate/shared';
import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  Billing,
  type CfnGlobalTable,
  type ITableV2,
  ProjectionType,
  TableEncryptionV2,
  TableV2,
} from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface DataTableProps {
  /**
   * Whether the table and its key survive `cdk destroy` and refuse deletion. Production
   * sets it, because the table contains every balance and ledger entry.
   */
  readonly isProtected: boolean;
}

/**
 * The one DynamoDB table, laid out as `tableLayout` in `shared/` describes it (the local
 * bootstrap reads the same layout): on-demand capacity, point-in-time recovery, encryption
 * with a customer-managed KMS key, and TTL on the attribute that only expendable items carry.
 */
export class DataTable extends Construct {
  /** The table as the functions use it: its grants include the customer-managed key. */
  readonly table: ITableV2;
  /** The table resource itself. */
  readonly globalTable: TableV2;
  readonly encryptionKey: Key;

  constructor(scope: Construct, id: string, props: DataTableProps) {
    super(scope, id);
    const removalPolicy = props.isProtected ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.encryptionKey = new Key(this, 'EncryptionKey', {
      description: 'Encrypts the Creditgate table',
      enableKeyRotation: true,
      removalPolicy,
    });

    this.globalTable = new TableV2(this, 'Table', {
      partitionKey: { name: tableLayout.partitionKey, type: AttributeType.STRING },
      sortKey: { name: tableLayout.sortKey, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      // Replaced by the customer-managed key below.
      encryption: TableEncryptionV2.awsManagedKey(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: tableLayout.timeToLiveAttribute,
      deletionProtection: props.isProtected,
      removalPolicy,
      globalSecondaryIndexes: tableLayout.globalIndexes.map((index) => ({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      })),
    });

    // TableEncryptionV2.customerManagedKey() needs a concrete region to render the replica's
    // key, and this stack is environment-agnostic, so the key is set on the single replica
    // directly (aws-cdk-lib 2.278).
    const cfnTable = this.globalTable.node.defaultChild as CfnGlobalTable;
    cfnTable.addPropertyOverride('Replicas.0.SSESpecification', {
      KMSMasterKeyId: this.encryptionKey.keyArn,
    });
    this.table = TableV2.fromTableAttributes(this, 'TableWithKey', {
      tableName: this.globalTable.tableName,
      encryptionKey: this.encryptionKey,
    });
  }
}
