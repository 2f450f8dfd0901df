CREATE TABLE `accounts` (
	`id` text PRIMARY KEY NOT NULL,
	`merchant_id` text NOT NULL,
	`external_id` text NOT NULL,
	`plan` text,
	`flags` text NOT NULL,
	`subscribed_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`merchant_id`) REFERENCES `merchants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `accounts_external` ON `accounts` (`merchant_id`,`external_id`);--> statement-breakpoint
CREATE TABLE `idempotency_keys` (
	`site_id` text NOT NULL,
	`key` text NOT NULL,
	`request_hash` text NOT NULL,
	`status` integer NOT NULL,
	`response` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`site_id`, `key`)
);
--> statement-breakpoint
CREATE INDEX `idempotency_created` ON `idempotency_keys` (`created_at`);--> statement-breakpoint
CREATE TABLE `incidents` (
	`id` text PRIMARY KEY NOT NULL,
	`merchant_id` text NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`started_at` integer NOT NULL,
	`ended_at` integer,
	FOREIGN KEY (`merchant_id`) REFERENCES `merchants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `incidents_open` ON `incidents` (`merchant_id`,`ended_at`);--> statement-breakpoint
CREATE TABLE `merchants` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`policy_version` integer NOT NULL,
	`webhook_url` text,
	`webhook_secret` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`merchant_id` text NOT NULL,
	`event` text NOT NULL,
	`payload` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`delivered_at` integer,
	`last_error` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `outbox_due` ON `outbox` (`delivered_at`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `policies` (
	`merchant_id` text NOT NULL,
	`version` integer NOT NULL,
	`preset` text,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`merchant_id`, `version`),
	FOREIGN KEY (`merchant_id`) REFERENCES `merchants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `quotes` (
	`ticket_id` text PRIMARY KEY NOT NULL,
	`merchant_id` text NOT NULL,
	`status` text NOT NULL,
	`amount` integer,
	`currency` text,
	`valid_until` integer,
	`planned_for` integer,
	`revision` integer NOT NULL,
	`note` text,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `rate_counters` (
	`key` text PRIMARY KEY NOT NULL,
	`count` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sessions` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`staff_id` text NOT NULL,
	`merchant_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`staff_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `sessions_staff` ON `sessions` (`staff_id`);--> statement-breakpoint
CREATE TABLE `sites` (
	`id` text PRIMARY KEY NOT NULL,
	`merchant_id` text NOT NULL,
	`site_key` text NOT NULL,
	`name` text NOT NULL,
	`allowed_origins` text NOT NULL,
	`branding` text NOT NULL,
	`default_locale` text NOT NULL,
	`identity_secret` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`merchant_id`) REFERENCES `merchants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sites_site_key` ON `sites` (`site_key`);--> statement-breakpoint
CREATE INDEX `sites_merchant` ON `sites` (`merchant_id`);--> statement-breakpoint
CREATE TABLE `staff` (
	`id` text PRIMARY KEY NOT NULL,
	`merchant_id` text NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`password_hash` text NOT NULL,
	`password_changed_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`merchant_id`) REFERENCES `merchants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `staff_email` ON `staff` (`email`);--> statement-breakpoint
CREATE TABLE `ticket_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ticket_id` text NOT NULL,
	`merchant_id` text NOT NULL,
	`at` integer NOT NULL,
	`type` text NOT NULL,
	`actor` text NOT NULL,
	`staff_id` text,
	`public` integer NOT NULL,
	`body` text,
	`data` text,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `ticket_events_ticket` ON `ticket_events` (`ticket_id`,`at`);--> statement-breakpoint
CREATE INDEX `ticket_events_merchant` ON `ticket_events` (`merchant_id`,`type`,`at`);--> statement-breakpoint
CREATE TABLE `tickets` (
	`id` text PRIMARY KEY NOT NULL,
	`merchant_id` text NOT NULL,
	`site_id` text NOT NULL,
	`ref` text NOT NULL,
	`policy_version` integer NOT NULL,
	`issue_type` text NOT NULL,
	`severity` text NOT NULL,
	`classified_priority` text NOT NULL,
	`priority` text NOT NULL,
	`status` text NOT NULL,
	`email` text NOT NULL,
	`name` text,
	`order_id` text,
	`description` text NOT NULL,
	`locale` text NOT NULL,
	`time_zone` text,
	`account_id` text,
	`incident_id` text,
	`outcome` text,
	`chargeable` integer NOT NULL,
	`received_at` integer NOT NULL,
	`pauses` text NOT NULL,
	`restarted_at` integer,
	`first_response_due_at` integer,
	`first_responded_at` integer,
	`resolution_due_at` integer,
	`resolution_earliest_at` integer,
	`downgrade_due_at` integer,
	`next_due_at` integer,
	`at_risk_at` integer,
	`sla_state` text NOT NULL,
	`resolved_at` integer,
	`closed_at` integer,
	`access_token_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`merchant_id`) REFERENCES `merchants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tickets_ref` ON `tickets` (`ref`);--> statement-breakpoint
CREATE INDEX `tickets_queue` ON `tickets` (`merchant_id`,`status`,`next_due_at`);--> statement-breakpoint
CREATE INDEX `tickets_open_due` ON `tickets` (`merchant_id`,`next_due_at`);--> statement-breakpoint
CREATE INDEX `tickets_received` ON `tickets` (`merchant_id`,`received_at`);--> statement-breakpoint
CREATE INDEX `tickets_breach_scan` ON `tickets` (`sla_state`,`next_due_at`);--> statement-breakpoint
CREATE INDEX `tickets_risk_scan` ON `tickets` (`sla_state`,`at_risk_at`);--> statement-breakpoint
CREATE INDEX `tickets_account` ON `tickets` (`merchant_id`,`account_id`,`received_at`);--> statement-breakpoint
CREATE INDEX `tickets_email` ON `tickets` (`merchant_id`,`email`);--> statement-breakpoint
CREATE TABLE `time_entries` (
	`id` text PRIMARY KEY NOT NULL,
	`ticket_id` text NOT NULL,
	`merchant_id` text NOT NULL,
	`staff_id` text NOT NULL,
	`started_at` integer NOT NULL,
	`minutes` integer NOT NULL,
	`category` text NOT NULL,
	`rate_class` text NOT NULL,
	`billed_minutes` integer NOT NULL,
	`amount` integer NOT NULL,
	`currency` text NOT NULL,
	`note` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `time_entries_merchant` ON `time_entries` (`merchant_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `time_entries_ticket` ON `time_entries` (`ticket_id`);--> statement-breakpoint
CREATE TABLE `write_guard` (
	`id` integer PRIMARY KEY NOT NULL,
	`ok` integer NOT NULL,
	CONSTRAINT "write_guard_ok" CHECK("write_guard"."ok" = 1)
);
