CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`merchant_id` text NOT NULL,
	`name` text NOT NULL,
	`prefix` text NOT NULL,
	`key_hash` text NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	`revoked_at` integer,
	FOREIGN KEY (`merchant_id`) REFERENCES `merchants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_hash` ON `api_keys` (`key_hash`);--> statement-breakpoint
CREATE INDEX `api_keys_merchant` ON `api_keys` (`merchant_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `accounts` ADD `cases_used` integer;--> statement-breakpoint
ALTER TABLE `accounts` ADD `cases_used_at` integer;--> statement-breakpoint
ALTER TABLE `accounts` ADD `updated_at` integer;--> statement-breakpoint
ALTER TABLE `merchants` ADD `webhook_events` text;--> statement-breakpoint
ALTER TABLE `merchants` ADD `webhook_secret_at` integer;--> statement-breakpoint
ALTER TABLE `sites` ADD `identity_secret_at` integer;--> statement-breakpoint
ALTER TABLE `sites` ADD `identity_previous_secret` text;--> statement-breakpoint
ALTER TABLE `sites` ADD `identity_previous_until` integer;--> statement-breakpoint
CREATE INDEX `outbox_merchant` ON `outbox` (`merchant_id`,`channel`,`created_at`);